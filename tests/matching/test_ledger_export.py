"""The hits' ledger (比对疑点台账) as Excel: the hit list's filters and jurisdiction, region names, the header in
Chinese, identity numbers as text cells, masked unless a county officer asks (then audited)."""

from __future__ import annotations

from libs.contracts.staff import StaffRole
from tests.matching.flow_support import TODAY, Place, firm, hits_of, load, new_household_id, paid_household
from tests.matching.support import Broker, MatchingApi, fresh_id, member, staff
from tests.support.regions import new_county
from tests.support.workbooks import file_name, name_regions, read_ledger

EXPORT = "/api/v1/matching/hits/export.xlsx"


async def _hit(api: MatchingApi, broker: Broker) -> tuple[Place, str, str]:
    """A business-registration hit in a named county, township and village: (place, person, hit id)."""
    api.clock.set_day(TODAY)
    place = Place.new()
    await name_regions(api, {place.county: "平遥县", place.township: "古陶镇", place.village: "东关村"})
    person = fresh_id()
    await paid_household(broker, new_household_id(), place.village, [member(person, "张三丰")])
    await load(api, "business", [firm(person)])
    [hit] = await hits_of(api, person)
    return place, person, hit.id


async def test_the_ledger_names_regions_and_masks_numbers_as_text(api: MatchingApi, broker: Broker) -> None:
    place, person, hit_id = await _hit(api, broker)
    r = await api.get(EXPORT, place.officer(), params={"status": "open"})
    sheet = read_ledger(r)
    assert sheet.title.startswith("平遥县古陶镇 比对疑点台账")
    assert file_name(r).startswith("平遥县古陶镇比对疑点台账")
    assert sheet.column("疑点编号") == [hit_id]
    assert sheet.column("村（社区）") == ["东关村"]
    assert sheet.column("数据来源") == ["市场主体登记"]
    assert sheet.column("核查状态") == ["待确认"]
    assert sheet.column("姓名") == ["张*丰"]
    assert sheet.column("身份证号码") == [person[:6] + "********" + person[14:]]
    assert sheet.type_of("身份证号码") == ["s"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported hits/{place.township}"
    assert read_ledger(await api.get(EXPORT, place.officer(), params={"status": "dismissed"})).rows == []


async def test_a_county_officer_has_whole_numbers_and_the_export_is_audited(api: MatchingApi, broker: Broker) -> None:
    place, person, _ = await _hit(api, broker)
    r = await api.get(EXPORT, place.officer(StaffRole.county_officer), params={"whole": "true"})
    sheet = read_ledger(r)
    assert sheet.column("身份证号码") == [person]
    assert sheet.type_of("身份证号码") == ["s"]
    assert sheet.column("姓名") == ["张三丰"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported_whole hits/{place.county}"


async def test_others_are_refused(api: MatchingApi, broker: Broker) -> None:
    place, _, _ = await _hit(api, broker)
    r = await api.get(EXPORT, place.officer(), params={"whole": "true"})
    assert r.status_code == 403
    assert r.json()["code"] == "role_required"
    r = await api.get(EXPORT, staff(StaffRole.county_officer, new_county()), params={"region_code": place.village})
    assert r.status_code == 403
    assert r.json()["code"] == "outside_jurisdiction"
    # Villages do not read hits, as the list.
    assert (await api.get(EXPORT, place.officer(StaffRole.village_assistant))).status_code == 403
    for bad in ({"status": "maybe"}, {"region_code": "1x"}, {"source": "x" * 65}, {"overdue": "perhaps"}):
        assert (await api.get(EXPORT, place.officer(), params=bad)).status_code == 422, bad
