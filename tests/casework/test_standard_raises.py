"""Raising a standard (提标, issue 20) through casework's API: a preview that writes nothing, a confirmed batch that
changes each amount once, publishes one `entitlement-changed` per change, and resumes where it stopped."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from libs.contracts.period import Period
from libs.contracts.staff import StaffRole
from services.casework.raises import service as raises
from services.casework.raises.models import StandardRaiseBatch
from services.casework.raises.schemas import RaiseIn
from services.casework.registry.models import Entitlement, HouseholdVersion
from tests.casework.flows import recipient_household
from tests.casework.support import Broker, CaseworkApi, family, new_county, new_village, set_standards, staff

RAISES = "/api/v1/casework/standard-raises"
JULY = date(2026, 7, 1)


async def _recipients(api: CaseworkApi, n: int) -> tuple[str, str, list[str]]:
    """`n` dibao households of three (700.00 × 3 − 800.00 = 1,300.00 each) in a new county; the county's dibao
    standard rises to 750.00 from July 2026, and today is 15 July."""
    broker, county = Broker(api), new_county()
    village = new_village(county)
    # `recipient_household` sets a figure of the county each time: the first the standard, the others defaults.
    figures: list[dict[str, Any]] = [{"dibao_standard_fen": 70000}, {"publicity_days": 7}, {"review_months_c": 3}]
    households = [
        (await recipient_household(api, broker, county, village, family(), standards=figures[i]))[0] for i in range(n)
    ]
    await set_standards(api, county, JULY, dibao_standard_fen=75000)
    api.clock.set_day(date(2026, 7, 15))
    return county, village, households


async def _state(api: CaseworkApi, households: list[str]) -> tuple[list[tuple[int, str]], int, int]:
    """Amounts and starts, versions, and `entitlement-changed` events of the households."""
    async with api.db.sessions() as s:
        ents = (
            await s.execute(
                select(Entitlement.monthly_amount_fen, Entitlement.effective_from)
                .where(Entitlement.household_id.in_(households))
                .order_by(Entitlement.household_id)
            )
        ).all()
        versions = await s.scalar(
            select(func.count()).select_from(HouseholdVersion).where(HouseholdVersion.household_id.in_(households))
        )
    events = 0
    for h in households:
        events += len(await api.outbox_events(subject=f"household/{h}", event_type="entitlement-changed"))
    return [(a, f) for a, f in ents], int(versions or 0), events


async def _batches(api: CaseworkApi, county: str) -> int:
    async with api.db.sessions() as s:
        n = await s.scalar(
            select(func.count()).select_from(StandardRaiseBatch).where(StandardRaiseBatch.county_code == county)
        )
    return int(n or 0)


async def test_preview_sums_the_changes_and_writes_nothing(api: CaseworkApi) -> None:
    county, village, households = await _recipients(api, 2)
    before = await _state(api, households)
    for who in (staff(StaffRole.county_officer, county), staff(StaffRole.city_supervisor, county[:4])):
        r = await api.post(f"{RAISES}/preview", who, {"county_code": county, "effective_month": "2026-07"})
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        assert (body["households"], body["persons"], body["entitlements"], body["for_review"]) == (2, 6, 2, 0)
        total = {"count": 2, "monthly_before": "2600.00", "monthly_after": "2900.00", "difference": "300.00"}
        assert body["total"] == total
        assert body["by_program"] == {"dibao": total}
        assert body["by_township"] == {village[:9]: total}
        assert body["marginal_newly_eligible"] == {"count": 0, "household_ids": []}
    assert await _state(api, households) == before
    assert await _batches(api, county) == 0


async def test_confirm_changes_each_amount_once_and_a_repeat_changes_nothing(api: CaseworkApi) -> None:
    county, _village, households = await _recipients(api, 2)
    amounts, versions, events = await _state(api, households)
    assert amounts == [(130000, "2026-04")] * 2
    officer = staff(StaffRole.county_officer, county)
    r = await api.post(RAISES, officer, {"county_code": county, "effective_month": "2026-07"})
    assert r.status_code == 202, r.text
    batch_id = r.json()["batch_id"]
    r = await api.get(f"{RAISES}/{batch_id}", officer)
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("status", "total", "done", "changed")} == {
        "status": "done",
        "total": 2,
        "done": 2,
        "changed": 2,
    }
    after = await _state(api, households)
    assert after == ([(145000, "2026-07")] * 2, versions + 2, events + 2)
    [event] = (await api.outbox_events(subject=f"household/{households[0]}", event_type="entitlement-changed"))[-1:]
    assert (event.data["monthly_amount"], event.data["effective_from"]) == ("1450.00", "2026-07")

    again = await api.post(RAISES, officer, {"county_code": county, "effective_month": "2026-07"})
    assert again.status_code == 200, again.text
    assert again.json()["batch_id"] == batch_id
    assert await _state(api, households) == after
    assert await _batches(api, county) == 1


async def test_a_batch_cut_short_resumes_without_duplicates(api: CaseworkApi) -> None:
    county, _village, households = await _recipients(api, 3)
    _, versions, events = await _state(api, households)
    officer = staff(StaffRole.county_officer, county)
    body = RaiseIn(county_code=county, effective_month="2026-07")
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        batch_id = (await raises.confirm(s, api.ctx, officer, body)).id
    # The runner stops after one chunk of one household (a crash between chunks).
    await raises.advance(api.ctx, batch_id, chunk=1, max_chunks=1)
    r = await api.get(f"{RAISES}/{batch_id}", officer)
    assert (r.json()["status"], r.json()["done"]) == ("running", 1)
    # The worker finds it stalled, and a repeat of the request resumes it too: both go on from the cursor.
    api.clock.set_day(date(2026, 7, 16))
    async with api.db.sessions() as s:
        assert batch_id in await raises.stalled(s, api.ctx.now(), timedelta(minutes=1))
    r = await api.post(RAISES, officer, body.model_dump())
    assert (r.status_code, r.json()["batch_id"]) == (202, batch_id)
    r = await api.get(f"{RAISES}/{batch_id}", officer)
    assert {k: r.json()[k] for k in ("status", "total", "done", "changed")} == {
        "status": "done",
        "total": 3,
        "done": 3,
        "changed": 3,
    }
    assert await _state(api, households) == ([(145000, "2026-07")] * 3, versions + 3, events + 3)


async def test_bad_input_is_refused_and_changes_nothing(api: CaseworkApi) -> None:
    county, _village, households = await _recipients(api, 1)
    before = await _state(api, households)
    officer = staff(StaffRole.county_officer, county)
    cases: list[tuple[Any, dict[str, Any], int, str | None]] = [
        (officer, {"county_code": county, "effective_month": "2024-01"}, 422, "raise_month_out_of_range"),
        (officer, {"county_code": county, "effective_month": "2027-01"}, 422, "raise_month_out_of_range"),
        (officer, {"county_code": county, "effective_month": "2026-08"}, 422, "no_new_standard"),
        (officer, {"county_code": new_county(), "effective_month": "2026-07"}, 403, None),
        (officer, {"county_code": county[:4], "effective_month": "2026-07"}, 422, None),
        (officer, {"county_code": county, "effective_month": "2026-13"}, 422, None),
        (officer, {"county_code": county, "effective_month": "0000-01"}, 422, None),
        (
            staff(StaffRole.city_supervisor, county[:4]),
            {"county_code": county, "effective_month": "2026-07"},
            403,
            None,
        ),
        (
            staff(StaffRole.township_officer, county + "001"),
            {"county_code": county, "effective_month": "2026-07"},
            403,
            None,
        ),
    ]
    for who, body, status, code in cases:
        r = await api.post(RAISES, who, body)
        assert r.status_code == status, (body, r.text)
        if code:
            assert r.json()["code"] == code
            if who is officer:
                p = await api.post(f"{RAISES}/preview", who, body)
                assert (p.status_code, p.json()["code"]) == (status, code)
    r = await api.get(f"{RAISES}/raise-00000000-0000-0000-0000-000000000000", officer)
    assert (r.status_code, r.json()["code"]) == (404, "standard_raise_not_found")
    assert await _state(api, households) == before
    assert await _batches(api, county) == 0


async def test_an_amount_decided_anew_while_a_chunk_was_read_is_left_alone(api: CaseworkApi) -> None:
    county, _village, [household] = await _recipients(api, 1)
    officer = staff(StaffRole.county_officer, county)
    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        batch_id = (
            await raises.confirm(s, api.ctx, officer, RaiseIn(county_code=county, effective_month="2026-07"))
        ).id
    plan = await raises._prepare(api.ctx, county, Period(2026, 7), None, 10)
    assert [r.amount_fen for r in plan.changed] == [145000]
    # A decision lands between the read and the write: its amount stands.
    async with api.db.sessions.begin() as s:
        ent = (await s.scalars(select(Entitlement).where(Entitlement.household_id == household))).one()
        ent.monthly_amount_fen = 99000
    _, versions, events = await _state(api, [household])
    assert await raises._commit(api.ctx, batch_id, plan, Period(2026, 7))
    assert await _state(api, [household]) == ([(99000, "2026-04")], versions, events)
    # A plan read from an old cursor is refused: the batch has moved on.
    assert not await raises._commit(api.ctx, batch_id, plan, Period(2026, 7))
