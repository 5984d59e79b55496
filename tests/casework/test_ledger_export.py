"""The recipients' roll (花名册) as an Excel ledger: the household list's filters and jurisdiction, region names, the
header in Chinese, identity and account numbers as text cells, masked unless a county officer asks (then audited)."""

from __future__ import annotations

import datetime as dt

from libs.contracts.staff import StaffRole
from tests.casework.flows import officers, recipient_household
from tests.casework.support import Broker, CaseworkApi, family, new_county, new_village, staff
from tests.support.workbooks import file_name, name_regions, read_ledger

EXPORT = "/api/v1/casework/households/export.xlsx"


async def _named_household(api: CaseworkApi) -> tuple[str, str, list[str], str]:
    """A dibao household in a named county, township and village: (county, village, [head id, head name], id)."""
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    await name_regions(api, {county: "平遥县", village[:9]: "古陶镇", village: "东关村"})
    return county, village, [people[0].id_number, people[0].name], household_id


async def test_the_roll_names_regions_and_masks_numbers_as_text(api: CaseworkApi) -> None:
    county, village, (head_id, head_name), household_id = await _named_household(api)
    township, _ = officers(village, county)
    r = await api.get(EXPORT, township, {"program": "dibao", "status": "active"})
    sheet = read_ledger(r)
    assert "平遥县古陶镇" in sheet.title
    assert "最低生活保障花名册" in sheet.title
    assert f"{api.clock().year}年" in sheet.title
    assert file_name(r).startswith("平遥县古陶镇最低生活保障花名册")
    assert file_name(r).endswith(".xlsx")
    assert sheet.headers[:8] == ["序号", "家庭编号", "县（市、区）", "乡镇（街道）", "村（社区）", "户主姓名",
                                 "户主身份证号码", "家庭人口"]  # fmt: skip
    assert sheet.column("家庭编号") == [household_id]
    assert sheet.column("县（市、区）") == ["平遥县"]
    assert sheet.column("乡镇（街道）") == ["古陶镇"]
    assert sheet.column("村（社区）") == ["东关村"]
    assert sheet.column("救助类别") == ["最低生活保障"]
    # Masked as lists mask them, and text: an 18-character number never becomes a float.
    assert sheet.column("户主身份证号码") == [head_id[:6] + "*" * 8 + head_id[14:]]
    assert sheet.type_of("户主身份证号码") == ["s"]
    assert sheet.column("户主姓名") == [head_name[0] + "*" + head_name[-1]]
    assert sheet.column("银行账号") == ["6222********0000"]
    assert sheet.column("开户银行") == ["中国工商银行"]
    assert sheet.type_of("月保障金额（元）") == ["n"]
    assert sheet.type_of("家庭人口") == ["n"]
    assert sheet.column("家庭人口") == [3]
    assert isinstance(sheet.column("下次复核日期")[0], dt.datetime | None)
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported households/{village[:9]}"


async def test_a_county_officer_has_whole_numbers_and_the_export_is_audited(api: CaseworkApi) -> None:
    county, village, (head_id, head_name), _ = await _named_household(api)
    _, county_officer = officers(village, county)
    r = await api.get(EXPORT, county_officer, {"whole": "true", "region_code": village})
    sheet = read_ledger(r)
    assert "平遥县古陶镇东关村" in sheet.title
    assert sheet.column("户主身份证号码") == [head_id]
    assert sheet.type_of("户主身份证号码") == ["s"]
    assert sheet.column("户主姓名") == [head_name]
    assert sheet.column("银行账号") == ["6222020000000000000"]
    assert sheet.type_of("银行账号") == ["s"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported_whole households/{village}"


async def test_others_are_refused_and_filters_are_the_lists(api: CaseworkApi) -> None:
    county, village, _, _ = await _named_household(api)
    township, county_officer = officers(village, county)
    # Whole numbers are a county officer's.
    r = await api.get(EXPORT, township, {"whole": "true"})
    assert r.status_code == 403
    assert r.json()["code"] == "role_required"
    # Another county's roll.
    r = await api.get(EXPORT, county_officer, {"region_code": new_county()})
    assert r.status_code == 403
    assert r.json()["code"] == "outside_jurisdiction"
    r = await api.get(EXPORT, staff(StaffRole.county_officer, new_county()), {"region_code": village})
    assert r.status_code == 403
    assert r.json()["code"] == "outside_jurisdiction"
    for bad in ({"program": "gold"}, {"region_code": "65x"}, {"status": "maybe"}, {"person_id_number": "123"}):
        r = await api.get(EXPORT, county_officer, bad)
        assert r.status_code == 422, bad
    # Another program: the header and title, no rows.
    sheet = read_ledger(await api.get(EXPORT, county_officer, {"program": "tekun_dispersed"}))
    assert sheet.rows == []
    assert "特困人员分散供养花名册" in sheet.title


CASES_EXPORT = "/api/v1/casework/cases/export.xlsx"


async def test_the_cases_ledger_masks_then_shows_whole_to_a_county_officer(api: CaseworkApi) -> None:
    county, village, (head_id, head_name), household_id = await _named_household(api)
    township, county_officer = officers(village, county)
    r = await api.get(CASES_EXPORT, township, {"status": "decided"})
    sheet = read_ledger(r)
    assert sheet.title.startswith("平遥县古陶镇 审核审批台账")
    assert sheet.column("家庭编号") == [household_id]
    assert sheet.column("村（社区）") == ["东关村"]
    assert sheet.column("办理类型") == ["申请审核"]
    assert sheet.column("办理状态") == ["已决定"]
    assert sheet.column("审批结果") == ["批准"]
    assert sheet.column("申请人（户主）") == [head_name[0] + "*" + head_name[-1]]
    assert sheet.column("身份证号码") == [head_id[:6] + "*" * 8 + head_id[14:]]
    assert sheet.type_of("身份证号码") == ["s"]
    assert sheet.type_of("拟保障金额（元）") == ["n"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported cases/{village[:9]}"

    r = await api.get(CASES_EXPORT, county_officer, {"whole": "true", "household_id": household_id})
    sheet = read_ledger(r)
    assert sheet.column("身份证号码") == [head_id]
    assert sheet.column("申请人（户主）") == [head_name]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported_whole cases/{county}"

    assert (await api.get(CASES_EXPORT, township, {"whole": "true"})).status_code == 403
    r = await api.get(CASES_EXPORT, staff(StaffRole.county_officer, new_county()), {"region_code": village})
    assert r.status_code == 403
    for bad in ({"program": "gold"}, {"status": "maybe"}, {"household_id": "h" * 65}, {"trigger": "x"}):
        assert (await api.get(CASES_EXPORT, county_officer, bad)).status_code == 422, bad
