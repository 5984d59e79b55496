"""Disbursement's ledgers as Excel: a roster's lines (花名册) and the recovery orders (追缴台账), with the lists'
filters and jurisdiction, region names, amounts in yuan as numbers, identity and account numbers as text cells,
masked unless a county officer asks (then audited: the access audit's note and an `account_reads` row)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.staff import StaffRole
from services.disbursement.accounts.models import AccountRead
from tests.disbursement.support import (
    Broker,
    DisbursementApi,
    Household,
    change,
    entitled,
    new_county,
    officer,
    paid,
    staff,
    township,
)
from tests.support.workbooks import file_name, name_regions, read_ledger

ROSTERS = "/api/v1/disbursement/rosters"
RECOVERIES = "/api/v1/disbursement/recoveries/export.xlsx"


async def _named(api: DisbursementApi, broker: Broker) -> tuple[str, Household]:
    county = new_county()
    household = await entitled(broker, county, amount="560.25")
    village = household.region_code
    await name_regions(api, {county: "平遥县", village[:9]: "古陶镇", village: "东关村"})
    return county, household


def _masked(id_number: str) -> str:
    return id_number[:6] + "********" + id_number[14:]


async def _reads(api: DisbursementApi, roster_id: str) -> list[AccountRead]:
    async with api.db.sessions() as s:
        return list((await s.scalars(select(AccountRead).where(AccountRead.roster_id == roster_id))).all())


async def test_a_locked_rosters_lines_masked_then_whole_and_audited(api: DisbursementApi, broker: Broker) -> None:
    county, household = await _named(api, broker)
    roster = await api.build(county, "2026-12")
    await api.act(roster, "lock")
    export = f"{ROSTERS}/{roster['roster_id']}/lines/export.xlsx"

    # A city supervisor reads the county's rosters (a township does not: a roster is the county's).
    r = await api.get(export, staff(StaffRole.city_supervisor, county[:4]))
    sheet = read_ledger(r)
    assert sheet.title.startswith("平遥县 2026年12月社会救助资金发放花名册")
    assert file_name(r) == "平遥县2026年12月社会救助资金发放花名册.xlsx"
    assert sheet.headers[:3] == ["序号", "家庭编号", "县（市、区）"]
    assert sheet.column("村（社区）") == ["东关村"]
    assert sheet.column("乡镇（街道）") == ["古陶镇"]
    assert sheet.column("收款人") == ["王*"]
    assert sheet.column("收款人身份证号码") == [_masked(household.head.id_number)]
    assert sheet.type_of("收款人身份证号码") == ["s"]
    assert household.account_no not in sheet.column("银行账号")
    assert sheet.column("发放金额（元）") == [560.25]
    assert sheet.type_of("发放金额（元）") == ["n"]
    assert sheet.column("发放状态") == ["待发放"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported roster/{roster['roster_id']}"
    assert await _reads(api, roster["roster_id"]) == []

    r = await api.get(export, officer(county), {"whole": "true"})
    sheet = read_ledger(r)
    assert sheet.column("收款人身份证号码") == [household.head.id_number]
    assert sheet.column("银行账号") == [household.account_no]
    assert sheet.type_of("银行账号") == ["s"]
    assert sheet.column("收款人") == ["王五"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported_whole roster/{roster['roster_id']}"
    [read] = await _reads(api, roster["roster_id"])
    assert (read.accounts, read.purpose) == (1, "台账导出（发放花名册）")


async def test_a_drafts_lines_have_no_whole_numbers_and_others_are_refused(
    api: DisbursementApi, broker: Broker
) -> None:
    county, household = await _named(api, broker)
    roster = await api.build(county, "2026-12")
    export = f"{ROSTERS}/{roster['roster_id']}/lines/export.xlsx"
    sheet = read_ledger(await api.get(export, officer(county)))
    assert sheet.column("收款人身份证号码") == [None]  # only the export sealed at lock holds it
    r = await api.get(export, officer(county), {"whole": "true"})
    assert r.status_code == 409
    assert r.json()["code"] == "roster_status"
    r = await api.get(export, staff(StaffRole.city_supervisor, county[:4]), {"whole": "true"})
    assert r.status_code == 403
    assert r.json()["code"] == "role_required"
    assert (await api.get(export, township(household.region_code))).status_code == 404
    assert (await api.get(export, officer(new_county()))).status_code == 404  # another county's roster
    assert (await api.get(export, staff(StaffRole.village_assistant, household.region_code))).status_code == 403
    assert (await api.get(export, officer(county), {"status": "x" * 33})).status_code == 422
    assert (await api.get(f"{ROSTERS}/{'r' * 65}/lines/export.xlsx", officer(county))).status_code == 422
    assert await _reads(api, roster["roster_id"]) == []


async def test_recovery_orders_with_what_is_outstanding(api: DisbursementApi, broker: Broker) -> None:
    county, household = await _named(api, broker)
    api.clock.set_day(date(2026, 12, 2))
    roster = await api.submitted(county, "2026-12")
    lines = await api.finance_lines(roster["roster_id"])
    api.clock.set_day(date(2026, 12, 10))
    assert (await api.report(roster["roster_id"], [paid(line) for line in lines])).status_code == 200
    api.clock.set_day(date(2026, 12, 15))
    await change(broker, household, amount="0.00", status=EntitlementStatus.STOPPED, effective_from="2026-12")

    r = await api.get(RECOVERIES, township(household.region_code), {"status": "open"})
    sheet = read_ledger(r)
    assert sheet.title.startswith("平遥县古陶镇 追缴台账")
    assert sheet.column("家庭编号") == [household.household_id]
    assert sheet.column("村（社区）") == ["东关村"]
    assert sheet.column("追缴原因") == ["停发后仍发放"]
    assert sheet.column("涉及月份") == ["2026年12月"]
    assert sheet.column("应追缴金额（元）") == [560.25]
    assert sheet.column("尚欠（元）") == [560.25]
    assert sheet.column("追缴状态") == ["追缴中"]
    assert sheet.column("收款人身份证号码") == [_masked(household.head.id_number)]
    assert sheet.type_of("收款人身份证号码") == ["s"]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported recoveries/{household.region_code[:9]}"

    r = await api.get(RECOVERIES, officer(county), {"whole": "true"})
    sheet = read_ledger(r)
    assert sheet.column("收款人身份证号码") == [household.head.id_number]
    assert r.headers["x-jiuzhu-audit"] == f"ledger.exported_whole recoveries/{county}"
    assert read_ledger(await api.get(RECOVERIES, officer(county), {"status": "waived"})).rows == []
    r = await api.get(RECOVERIES, officer(new_county()), {"region_code": household.region_code})
    assert r.status_code == 403
    assert r.json()["code"] == "outside_jurisdiction"
    assert (await api.get(RECOVERIES, officer(county), {"status": "maybe"})).status_code == 422
