"""The applications' ledger (申请受理台账) as Excel: the list's filters, order and jurisdiction, region names, the
header in Chinese, identity and account numbers as text cells, masked unless a county officer asks (then audited)."""

from __future__ import annotations

import datetime as dt

from libs.contracts.staff import StaffRole
from tests.intake.support import IntakeApi, application_body, staff
from tests.support.regions import new_county, new_village
from tests.support.workbooks import file_name, name_regions, read_ledger

APPS = "/api/v1/intake/applications"
EXPORT = f"{APPS}/export.xlsx"


async def _accepted(api: IntakeApi) -> tuple[str, str, dict[str, object]]:
    """An accepted application in a named county, township and village: (county, village, its body)."""
    county = new_county()
    village = new_village(county)
    await name_regions(api, {county: "平遥县", village[:9]: "古陶镇", village: "东关村"})
    officer = staff(StaffRole.township_officer, village[:9])
    api.clock.set_day(dt.date(2026, 3, 2))
    body = application_body(village)
    created = await api.post(APPS, officer, body)
    assert created.status_code == 201, created.text
    app_id = created.json()["application_id"]
    for step in ("submit", "accept"):
        r = await api.post(f"{APPS}/{app_id}/{step}", officer, None)
        assert r.status_code == 200, r.text
    # A draft too: the ledger lists what the list lists.
    assert (await api.post(APPS, officer, application_body(village))).status_code == 201
    return county, village, body


async def test_the_ledger_names_regions_and_masks_numbers_as_text(api: IntakeApi) -> None:
    county, village, body = await _accepted(api)
    head = body["members"][0]  # type: ignore[index]
    api.clock.set_day(dt.date(2026, 6, 1))
    r = await api.get(EXPORT, staff(StaffRole.township_officer, village[:9]), {"status": "accepted"})
    sheet = read_ledger(r)
    assert sheet.title.startswith("平遥县古陶镇 救助申请受理台账")
    assert "2026年6月1日" in sheet.title
    assert file_name(r) == "平遥县古陶镇救助申请受理台账2026-06-01.xlsx"
    assert sheet.headers[:4] == ["序号", "申请编号", "县（市、区）", "乡镇（街道）"]
    assert sheet.column("村（社区）") == ["东关村"]
    assert sheet.column("救助类别") == ["最低生活保障"]
    assert sheet.column("办理状态") == ["已受理"]
    assert sheet.column("是否超期") == ["是"]
    assert sheet.column("受理日期") == [dt.datetime(2026, 3, 2)]
    assert sheet.column("申请人姓名") == ["王*国"]
    assert sheet.column("申请人身份证号码") == [head["id_number"][:6] + "********" + head["id_number"][14:]]
    assert sheet.type_of("申请人身份证号码") == ["s"]
    assert sheet.column("银行账号") == ["6222***********0000"]
    assert sheet.column("开户银行") == ["中国工商银行"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported applications/{village[:9]}"
    # The same filters as the list: without `status`, the draft as well.
    assert len(read_ledger(await api.get(EXPORT, staff(StaffRole.county_officer, county))).rows) == 2


async def test_a_county_officer_has_whole_numbers_and_the_export_is_audited(api: IntakeApi) -> None:
    county, _, body = await _accepted(api)
    head = body["members"][0]  # type: ignore[index]
    r = await api.get(EXPORT, staff(StaffRole.county_officer, county), {"whole": "true", "status": "accepted"})
    sheet = read_ledger(r)
    assert sheet.column("申请人身份证号码") == [head["id_number"]]
    assert sheet.type_of("申请人身份证号码") == ["s"]
    assert sheet.column("申请人姓名") == ["王建国"]
    assert sheet.column("银行账号") == ["6222020000000000000"]
    assert sheet.type_of("银行账号") == ["s"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported_whole applications/{county}"


async def test_others_are_refused(api: IntakeApi) -> None:
    county, village, _ = await _accepted(api)
    r = await api.get(EXPORT, staff(StaffRole.township_officer, village[:9]), {"whole": "true"})
    assert r.status_code == 403
    assert r.json()["code"] == "role_required"
    r = await api.get(EXPORT, staff(StaffRole.county_officer, new_county()), {"region_code": village})
    assert r.status_code == 403
    assert r.json()["code"] == "outside_jurisdiction"
    officer = staff(StaffRole.county_officer, county)
    for bad in ({"program": "gold"}, {"region_code": "1x"}, {"id_number": "123"}, {"due_before": "2026-13-01"}):
        assert (await api.get(EXPORT, officer, bad)).status_code == 422, bad
