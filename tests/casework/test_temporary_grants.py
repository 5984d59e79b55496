"""Temporary assistance paid once (临时救助, seed 004 二(七), issue 20): 先行救助 within the region's ceiling where the
emergency happened, explained afterwards and confirmed or reclaimed by the county; an application decided with the
shortened procedure; one payment order, never an entitlement; the clock from discovery to payment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.events.grants import GrantPaymentStatus, TemporaryGrantPaymentReported
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from services.casework.grants import rules
from services.casework.grants.models import TemporaryGrant
from services.casework.local_figures.figures import Standards
from services.casework.registry.models import Household
from tests.casework.flows import CASES, case_of_application
from tests.casework.support import (
    Broker,
    CaseworkApi,
    application,
    event,
    family,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    staff,
    verification,
)

GRANTS = "/api/v1/casework/temporary-grants"
# Tuesday: three working days later is Friday 2026-06-12.
DISCOVERED = datetime(2026, 6, 9, 0, 30, tzinfo=UTC)  # 08:30 in Beijing


# --- The rules, pure -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fen", "family_size", "advance", "codes"),
    [
        (80000, 1, True, []),  # 800.00: within 1,000.00 and 6 × 700.00
        (100000, 1, True, []),  # the ceiling itself
        (100001, 1, True, ["above_advance_ceiling"]),
        (420000, 1, False, []),  # 6 months of 700.00 for one person
        (420001, 1, False, ["above_grant_limit"]),
        (840000, 2, False, []),  # a family of two: twice that
        (500000, 1, True, ["above_advance_ceiling", "above_grant_limit"]),
        (0, 1, False, ["above_grant_limit"]),
    ],
)
def test_amounts_a_region_allows(fen: int, family_size: int, advance: bool, codes: list[str]) -> None:
    standards = Standards(dibao_standard_fen=70000)
    found = rules.amount_problems(fen, standards, family_size, advance=advance)
    assert [code for code, _ in found] == codes


def test_a_regional_cap_bounds_the_months_of_the_standard() -> None:
    capped = Standards(dibao_standard_fen=70000, temporary_cap_fen=300000)
    assert capped.temporary_limit_fen(3) == 300000
    assert Standards(dibao_standard_fen=70000, temporary_standard_months=3).temporary_limit_fen(2) == 420000
    assert Standards().temporary_limit_fen(1) is None  # no dibao standard to count from


@pytest.mark.parametrize(
    ("discovered", "problem"),
    [
        (DISCOVERED, None),
        (DISCOVERED + timedelta(minutes=4), None),  # a phone's clock a little ahead
        (DISCOVERED + timedelta(hours=1), "discovered_in_future"),
        (DISCOVERED - timedelta(days=90), None),
        (DISCOVERED - timedelta(days=91), "discovered_too_long_ago"),
    ],
)
def test_a_discovery_must_be_an_emergency_being_handled(discovered: datetime, problem: str | None) -> None:
    assert rules.discovery_problem(discovered, DISCOVERED) == problem


@pytest.mark.parametrize(
    ("pay_by", "today", "paid_on", "overdue"),
    [
        (date(2026, 6, 12), date(2026, 6, 12), None, False),
        (date(2026, 6, 12), date(2026, 6, 15), None, True),
        (date(2026, 6, 12), date(2026, 6, 30), date(2026, 6, 11), False),
        (date(2026, 6, 12), date(2026, 6, 30), date(2026, 6, 15), True),
    ],
)
def test_the_clock_is_missed_when_paid_or_still_unpaid_after_its_day(
    pay_by: date, today: date, paid_on: date | None, overdue: bool
) -> None:
    assert rules.is_overdue(pay_by, today, paid_on) is overdue


def test_the_same_cause_counts_back_the_regions_months() -> None:
    on = datetime(2026, 3, 31, 9, tzinfo=UTC)
    assert rules.same_cause_window_start(on, Standards()) == datetime(2025, 3, 28, 9, tzinfo=UTC)
    assert rules.same_cause_window_start(on, Standards(temporary_same_cause_months=0)) is None


# --- 先行救助 through the API -----------------------------------------------------------------------------------------


async def _county(api: CaseworkApi, **figures: Any) -> tuple[str, str]:
    county = new_county()
    await set_standards(api, county, **{"dibao_standard_fen": 70000, **figures})
    api.clock.set_day(date(2026, 6, 9))
    return county, new_village(county)


def _advance(village: str, **extra: Any) -> dict[str, Any]:
    [person] = family(size=1)
    body: dict[str, Any] = {
        "region_code": village,
        "person": {"id_number": person.id_number, "name": person.name},
        "family_size": 2,
        "cause": "fire",
        "situation": "夜间失火，房屋烧毁，基本生活陷入困境",
        "amount": "800.00",
        "account": {"bank_code": "ICBC", "account_no": "6222020000001234567", "holder_name": person.name},
        "discovered_at": DISCOVERED.isoformat(),
    }
    body.update(extra)
    return body


def _township(village: str) -> Any:
    return staff(StaffRole.township_officer, village[:9])


async def _grants_of(api: CaseworkApi, region: str) -> int:
    async with api.db.sessions() as s:
        stmt = select(func.count()).select_from(TemporaryGrant).where(TemporaryGrant.region_code == region)
        return int(await s.scalar(stmt) or 0)


async def test_an_advance_is_granted_at_once_and_goes_to_finance_as_one_payment(api: CaseworkApi) -> None:
    _, village = await _county(api)
    body = _advance(village)
    r = await api.post(GRANTS, _township(village), body)
    assert r.status_code == 201, r.text
    grant = r.json()
    assert (grant["kind"], grant["amount"], grant["payment"], grant["review"]) == (
        "advance",
        "800.00",
        "issued",
        "explanation_due",
    )
    # Discovered on Tuesday: paid by Friday, three working days (seed 004 二(七)).
    assert (grant["pay_by"], grant["overdue"]) == ("2026-06-12", False)
    assert grant["account_no_masked"] == "6222***********4567"
    assert body["person"]["id_number"] not in r.text
    [issued] = await api.outbox_events(subject=f"grant/{grant['grant_id']}", event_type="temporary-grant-issued")
    data = issued.data
    assert (data["amount"], data["pay_by"], data["attempt"], data["region_code"]) == (
        "800.00",
        "2026-06-12",
        1,
        village,
    )
    assert data["payee"] == body["person"]
    assert data["payment_account"]["account_no_masked"] == "6222***********4567"
    assert "6222020000001234567" not in str(data)  # the number travels sealed
    # Not an entitlement: no household, no entitlement-changed, nothing on the posting.
    assert grant["household_id"] is None
    assert await api.outbox_events(event_type="entitlement-changed", subject=f"grant/{grant['grant_id']}") == []
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Household).where(Household.region_code == village)) == 0


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"amount": "1000.01"}, 422, "above_advance_ceiling"),
        ({"amount": "-5.00"}, 422, "validation_failed"),
        ({"discovered_at": "2026-06-10T08:30:00+00:00"}, 422, "discovered_in_future"),
        ({"discovered_at": "2026-01-02T08:30:00+00:00"}, 422, "discovered_too_long_ago"),
        ({"cause": "boredom"}, 422, "validation_failed"),
        ({"family_size": 0}, 422, "validation_failed"),
        ({"situation": ""}, 422, "validation_failed"),
    ],
)
async def test_a_refused_advance_names_its_rule_and_writes_nothing(
    api: CaseworkApi, change: dict[str, Any], status: int, code: str
) -> None:
    _, village = await _county(api)
    r = await api.post(GRANTS, _township(village), _advance(village, **change))
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    assert await _grants_of(api, village) == 0
    assert await api.outbox_events(event_type="temporary-grant-issued") == [] or all(
        e.data["region_code"] != village for e in await api.outbox_events(event_type="temporary-grant-issued")
    )


async def test_a_region_sets_its_own_ceiling(api: CaseworkApi) -> None:
    _, village = await _county(api, temporary_advance_ceiling_fen=200000)
    r = await api.post(GRANTS, _township(village), _advance(village, amount="1500.00"))
    assert r.status_code == 201, r.text


async def test_only_officers_within_the_place_of_the_emergency_grant(api: CaseworkApi) -> None:
    _, village = await _county(api)
    elsewhere = new_village(new_county())
    r = await api.post(GRANTS, staff(StaffRole.township_officer, elsewhere[:9]), _advance(village))
    assert (r.status_code, r.json()["code"]) == (403, "outside_jurisdiction")
    r = await api.post(GRANTS, staff(StaffRole.village_assistant, village), _advance(village))
    assert r.status_code == 403
    assert await _grants_of(api, village) == 0


async def test_the_same_cause_is_helped_once_in_the_period_and_another_cause_again(api: CaseworkApi) -> None:
    _, village = await _county(api)
    first = _advance(village)
    assert (await api.post(GRANTS, _township(village), first)).status_code == 201
    again = {**first, "situation": "再次求助"}
    r = await api.post(GRANTS, _township(village), again)
    assert (r.status_code, r.json()["code"]) == (409, "same_cause_helped")
    r = await api.post(GRANTS, _township(village), {**first, "cause": "serious_illness"})
    assert r.status_code == 201, r.text


async def test_an_advance_is_explained_then_confirmed_or_reclaimed_by_the_county(api: CaseworkApi) -> None:
    county, village = await _county(api)
    township, county_officer = _township(village), staff(StaffRole.county_officer, county)
    ids = []
    for cause in ("fire", "accident"):
        r = await api.post(GRANTS, township, _advance(village, cause=cause))
        ids.append(r.json()["grant_id"])
    # The county reviews only what the township explained.
    r = await api.post(f"{GRANTS}/{ids[0]}/review", county_officer, {"decision": "confirm"})
    assert (r.status_code, r.json()["code"]) == (409, "grant_state")
    for grant_id in ids:
        r = await api.post(f"{GRANTS}/{grant_id}/explanation", township, {"explanation": "入户核实，情况属实"})
        assert (r.status_code, r.json()["review"]) == (200, "to_confirm"), r.text
    r = await api.post(f"{GRANTS}/{ids[0]}/review", township, {"decision": "confirm"})
    assert r.status_code == 403  # the county confirms
    r = await api.post(f"{GRANTS}/{ids[0]}/review", county_officer, {"decision": "confirm"})
    assert (r.status_code, r.json()["review"]) == (200, "confirmed")
    r = await api.post(f"{GRANTS}/{ids[1]}/review", county_officer, {"decision": "reclaim"})
    assert (r.status_code, r.json()["code"]) == (422, "reason_required")  # a reclaim says why
    assert r.json()["errors"][0]["loc"] == ["body", "reason"]
    r = await api.post(f"{GRANTS}/{ids[1]}/review", county_officer, {"decision": "reclaim", "reason": "有车辆，不符合"})
    assert (r.status_code, r.json()["review"]) == (200, "reclaimed")
    [reclaimed] = await api.outbox_events(subject=f"grant/{ids[1]}", event_type="temporary-grant-reclaimed")
    assert (reclaimed.data["amount"], reclaimed.data["reason"]) == ("800.00", "有车辆，不符合")
    listed = (await api.get(GRANTS, county_officer, {"region_code": county, "review": "reclaimed"})).json()
    assert [g["grant_id"] for g in listed["items"]] == [ids[1]]
    counts = (await api.get(f"{GRANTS}/counts", county_officer, {"region_code": county})).json()
    assert counts == {"by_status": {"confirmed": 1, "reclaimed": 1}, "overdue": 0}


def _reported(grant_id: str, attempt: int, status: GrantPaymentStatus, at: datetime) -> TemporaryGrantPaymentReported:
    return TemporaryGrantPaymentReported(
        grant_id=grant_id,
        attempt=attempt,
        order_id=f"order-{grant_id}-{attempt}",
        line_id=f"line-{grant_id}-{attempt}",
        status=status,
        paid_at=at if status is GrantPaymentStatus.PAID else None,
        failure_reason="账户已销户" if status is GrantPaymentStatus.FAILED else None,
        reported_at=at,
    )


async def test_the_clock_lists_grants_unpaid_past_their_day_and_a_payment_clears_them(api: CaseworkApi) -> None:
    county, village = await _county(api)
    broker, county_officer = Broker(api), staff(StaffRole.county_officer, county)
    grant_id = (await api.post(GRANTS, _township(village), _advance(village))).json()["grant_id"]
    assert (await api.get(f"{GRANTS}/overdue", county_officer, {"region_code": county})).json()["items"] == []
    api.clock.set_day(date(2026, 6, 15))  # Monday: Friday's day has passed
    overdue = (await api.get(f"{GRANTS}/overdue", county_officer, {"region_code": county})).json()["items"]
    assert [(g["grant_id"], g["overdue"]) for g in overdue] == [(grant_id, True)]
    counts = (await api.get(f"{GRANTS}/counts", county_officer, {"region_code": county})).json()
    assert counts == {"by_status": {"explanation_due": 1}, "overdue": 1}
    paid_at = datetime(2026, 6, 15, 3, tzinfo=UTC)
    await broker.deliver(event(_reported(grant_id, 1, GrantPaymentStatus.PAID, paid_at), f"grant/{grant_id}"))
    assert (await api.get(f"{GRANTS}/overdue", county_officer, {"region_code": county})).json()["items"] == []
    seen = (await api.get(f"{GRANTS}/{grant_id}", county_officer)).json()
    # Paid, but on Monday: the clock was missed, and the grant says so.
    assert (seen["payment"], seen["overdue"]) == ("paid", True)


async def test_a_failed_payment_is_issued_again_to_a_corrected_account(api: CaseworkApi) -> None:
    _, village = await _county(api)
    broker, township = Broker(api), _township(village)
    grant_id = (await api.post(GRANTS, township, _advance(village))).json()["grant_id"]
    account = {"bank_code": "ABC", "account_no": "6228480000007654321", "holder_name": "王建国"}
    r = await api.post(f"{GRANTS}/{grant_id}/reissue", township, {"account": account})
    assert (r.status_code, r.json()["code"]) == (409, "grant_state")  # nothing failed yet
    at = datetime(2026, 6, 10, 3, tzinfo=UTC)
    await broker.deliver(event(_reported(grant_id, 1, GrantPaymentStatus.FAILED, at), f"grant/{grant_id}"))
    r = await api.post(f"{GRANTS}/{grant_id}/reissue", township, {"account": account})
    assert r.status_code == 200, r.text
    assert (r.json()["attempt"], r.json()["payment"], r.json()["account_no_masked"]) == (
        2,
        "issued",
        "6228***********4321",
    )
    issued = await api.outbox_events(subject=f"grant/{grant_id}", event_type="temporary-grant-issued")
    assert [e.data["attempt"] for e in issued] == [1, 2]
    # A late answer for the first attempt changes nothing; the second attempt's is applied.
    await broker.deliver(event(_reported(grant_id, 1, GrantPaymentStatus.PAID, at), f"grant/{grant_id}"))
    assert (await api.get(f"{GRANTS}/{grant_id}", township)).json()["payment"] == "issued"
    await broker.deliver(event(_reported(grant_id, 2, GrantPaymentStatus.PAID, at), f"grant/{grant_id}"))
    assert (await api.get(f"{GRANTS}/{grant_id}", township)).json()["payment"] == "paid"


# --- An application, decided with the shortened procedure ---------------------------------------------------------


async def _temporary_case(api: CaseworkApi, broker: Broker, village: str, **overrides: Any) -> str:
    people = family(size=2)
    app = application(village, people, program=Program.TEMPORARY, **overrides)
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    r = await api.post(f"{CASES}/{case.id}/investigations", _township(village), investigation_body(date(2026, 6, 9)))
    assert r.status_code == 201, r.text
    return case.id


async def test_an_approved_application_is_one_grant_without_posting_or_entitlement(api: CaseworkApi) -> None:
    county, village = await _county(api)
    broker, county_officer = Broker(api), staff(StaffRole.county_officer, county)
    case_id = await _temporary_case(api, broker, village, emergency=True)
    r = await api.post(
        f"{CASES}/{case_id}/proposal", _township(village), {"outcome": "approved", "one_off_amount": "8400.01"}
    )
    assert (r.status_code, r.json()["code"]) == (422, "not_eligible")  # above 6 × 700.00 × 2
    r = await api.post(
        f"{CASES}/{case_id}/proposal", _township(village), {"outcome": "approved", "one_off_amount": "3000.00"}
    )
    assert r.status_code == 200, r.text
    # The shortened procedure: no publicity, straight to the county.
    assert r.json()["status"] == "confirmation"
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], r.json()["household_id"]) == ("approved", None)
    listed = (await api.get(GRANTS, county_officer, {"region_code": county})).json()["items"]
    [grant] = [g for g in listed if g["case_id"] == case_id]
    assert (grant["kind"], grant["amount"], grant["review"], grant["family_size"]) == (
        "ordinary",
        "3000.00",
        "confirmed",
        2,
    )
    [issued] = await api.outbox_events(subject=f"grant/{grant['grant_id']}", event_type="temporary-grant-issued")
    assert issued.data["case_id"] == case_id
    assert await api.outbox_events(event_type="entitlement-changed", subject=f"case/{case_id}") == []
    async with api.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Household).where(Household.region_code == village)) == 0


async def test_a_region_may_still_post_temporary_assistance(api: CaseworkApi) -> None:
    _, village = await _county(api, temporary_publicity=True)
    case_id = await _temporary_case(api, Broker(api), village)
    r = await api.post(
        f"{CASES}/{case_id}/proposal", _township(village), {"outcome": "approved", "one_off_amount": "500.00"}
    )
    assert (r.status_code, r.json()["status"]) == (200, "publicity"), r.text
