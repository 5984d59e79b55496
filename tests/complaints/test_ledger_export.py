"""The complaint ledger (投诉举报台账) as Excel: the list's filters, order and jurisdiction, region names, the header
in Chinese; names and identity numbers masked and as text, and never whole: a complainant is revealed one item at a
time by the unit handling it."""

from __future__ import annotations

from libs.contracts.staff import StaffRole
from tests.complaints.support import (
    ComplaintsApi,
    county_officer,
    letter,
    new_county,
    new_village,
    staff,
    township_officer,
)
from tests.support.workbooks import file_name, name_regions, read_ledger

EXPORT = "/api/v1/complaints/export.xlsx"


async def test_the_ledger_names_regions_and_masks_names_and_numbers(api: ComplaintsApi) -> None:
    county = new_county()
    village = new_village(county)
    await name_regions(api, {county: "平遥县", village[:9]: "古陶镇", village: "东关村"})
    body = letter(village)
    item = await api.log_item(body)
    await api.log_item(letter(village, caller={"anonymous": True}, category="complaint"))
    r = await api.get(EXPORT, township_officer(village[:9]), {"category": "report"})
    sheet = read_ledger(r)
    assert sheet.title.startswith("平遥县古陶镇 投诉举报台账")
    assert file_name(r).startswith("平遥县古陶镇投诉举报台账")
    assert sheet.column("工单编号") == [item["complaint_id"]]
    assert sheet.column("类别") == ["举报"]
    assert sheet.column("渠道") == ["来信"]
    assert sheet.column("村（社区）") == ["东关村"]
    assert sheet.column("承办单位") == ["平遥县古陶镇"]
    assert sheet.column("反映人") == ["赵*"]
    assert sheet.column("被反映人") == ["钱*"]
    subject_id = body["subject"]["id_number"]
    assert sheet.column("被反映人身份证号码") == [subject_id[:6] + "********" + subject_id[14:]]
    assert sheet.type_of("被反映人身份证号码") == ["s"]
    assert sheet.column("办理状态") == ["已交办"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported complaints/{village[:9]}"
    # Without the filter, both, newest first as the list; the anonymous one names nobody.
    sheet = read_ledger(await api.get(EXPORT, county_officer(county)))
    assert len(sheet.rows) == 2
    assert "匿名" in sheet.column("反映人")


async def test_the_ledger_is_never_whole_and_keeps_to_the_jurisdiction(api: ComplaintsApi) -> None:
    village = new_village()
    body = letter(village)
    await api.log_item(body)
    sheet = read_ledger(await api.get(EXPORT, county_officer(village[:6]), {"whole": "true"}))
    assert body["subject"]["id_number"] not in sheet.column("被反映人身份证号码")
    assert "钱七" not in sheet.column("被反映人")
    r = await api.get(EXPORT, county_officer(new_county()), {"region_code": village})
    assert r.status_code == 403
    assert r.json()["code"] == "outside_jurisdiction"
    # Villages log items but do not read the ledger (an informant stays unknown to village cadres).
    assert (await api.get(EXPORT, staff(StaffRole.village_assistant, village))).status_code == 403
    for bad in ({"status": "maybe"}, {"region_code": "1x"}, {"category": "x"}, {"repeats": "perhaps"}):
        assert (await api.get(EXPORT, county_officer(village[:6]), bad)).status_code == 422, bad
