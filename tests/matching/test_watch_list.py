"""The watch list kept from casework's and intake's events (DOMAIN.md §5): who a run matches, whatever the order and
however often the broker delivers (every event here arrives twice, as after a redelivery).

`watched` reads the runs' own watch-list query; a few tests also load a feed to show the effect on hits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from libs.contracts.events.base import MemberRef, PersonRef
from libs.contracts.events.casework import CaseOutcome, EntitlementChanged, EntitlementStatus, HouseholdChangeKind
from libs.contracts.events.intake import ApplicationWithdrawn
from libs.contracts.programs import Program
from services.matching.watchlist.models import EntitlementPeriod, WatchApplication, WatchMember, WatchObligor
from tests.matching.flow_support import (
    TODAY,
    Place,
    car,
    firm,
    hits_of,
    household_changed,
    load,
    new_household_id,
    paid_household,
    watched,
)
from tests.matching.support import (
    Broker,
    MatchingApi,
    application,
    decided,
    entitlement,
    fresh_id,
    member,
    obligor,
)

T1 = datetime(2026, 1, 1, tzinfo=UTC)
T2 = datetime(2026, 3, 1, tzinfo=UTC)
T3 = datetime(2026, 6, 1, tzinfo=UTC)


def _today(api: MatchingApi) -> None:
    api.clock.set_day(TODAY)


async def test_household_then_entitlement_watches_every_member(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, b = fresh_id(), fresh_id()
    hh, place = new_household_id(), Place.new()
    await household_changed(broker, hh, place.village, [member(a), member(b, "李四", "spouse")], at=T1)
    # Known, but nothing is paid yet: not watched.
    assert await watched(api, a) == set()
    await entitlement(broker, hh, place.village, (member(a), member(b, "李四", "spouse")), at=T1)
    assert await watched(api, a) == {("member", hh)}
    assert await watched(api, b) == {("member", hh)}


async def test_entitlement_first_then_newer_household_snapshot(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, b = fresh_id(), fresh_id()
    hh, place = new_household_id(), Place.new()
    await entitlement(broker, hh, place.village, (member(a),), at=T1)
    assert await watched(api, a) == {("member", hh)}
    await household_changed(broker, hh, place.village, [member(a), member(b, "李四", "son")], at=T2)
    assert await watched(api, b) == {("member", hh)}
    assert await watched(api, a) == {("member", hh)}


async def test_older_entitlement_after_newer_snapshot_keeps_its_members(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, b = fresh_id(), fresh_id()
    hh, place = new_household_id(), Place.new()
    await household_changed(broker, hh, place.village, [member(a), member(b, "李四", "son")], at=T2)
    # The entitlement was published before the member joined; its member list is older and must not win.
    await entitlement(broker, hh, place.village, (member(a),), at=T1)
    assert await watched(api, a) == {("member", hh)}
    assert await watched(api, b) == {("member", hh)}


async def test_older_snapshot_arriving_late_does_not_overwrite(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, b, c = fresh_id(), fresh_id(), fresh_id()
    hh, place = new_household_id(), Place.new()
    await paid_household(broker, hh, place.village, [member(a), member(b, "李四", "son")], at=T2)
    await household_changed(broker, hh, place.village, [member(a), member(c, "王五", "son")], at=T1)
    assert await watched(api, b) == {("member", hh)}
    assert await watched(api, c) == set()


async def test_member_removed_by_newer_snapshot_is_no_longer_matched(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, b = fresh_id(), fresh_id()
    hh, place = new_household_id(), Place.new()
    await paid_household(broker, hh, place.village, [member(a), member(b, "李四", "son")], at=T1)
    await household_changed(broker, hh, place.village, [member(a)], at=T2, kind=HouseholdChangeKind.MEMBER_REMOVED)
    assert await watched(api, b) == set()
    feed = await load(api, "business", [firm(a), firm(b, "李四")])
    assert feed["hits_raised"] == 1
    assert [h.rule_id for h in await hits_of(api, a)] == ["business_registration"]
    assert await hits_of(api, b) == []


async def test_closed_household_is_not_watched(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a = fresh_id()
    hh, place = new_household_id(), Place.new()
    await paid_household(broker, hh, place.village, [member(a)], at=T1)
    await household_changed(broker, hh, place.village, [member(a)], at=T2, closed=True, kind=HouseholdChangeKind.CLOSED)
    assert await watched(api, a) == set()
    await load(api, "business", [firm(a)])
    assert await hits_of(api, a) == []


async def test_stopped_entitlement_is_not_watched(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a = fresh_id()
    hh, place = new_household_id(), Place.new()
    await paid_household(broker, hh, place.village, [member(a)], at=T1)
    await entitlement(
        broker, hh, place.village, (member(a),), status=EntitlementStatus.STOPPED, effective_from="2026-10", at=T3
    )
    assert await watched(api, a) == set()
    await load(api, "business", [firm(a)])
    assert await hits_of(api, a) == []


async def test_entitlement_that_ended_in_the_past_is_not_watched(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a = fresh_id()
    hh, place = new_household_id(), Place.new()
    await household_changed(broker, hh, place.village, [member(a)], at=T1)
    await entitlement(broker, hh, place.village, (member(a),), effective_from="2025-01", effective_to="2026-10", at=T1)
    assert await watched(api, a) == set()


async def test_gradual_exit_is_watched_until_its_last_paid_month(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a = fresh_id()
    hh, place = new_household_id(), Place.new()
    members = (member(a),)
    await paid_household(broker, hh, place.village, list(members), at=T1)
    # Seed 000 §4 渐退: one event per step covering future months, then `stopped` from the first unpaid month.
    for month, at in (("2026-12", T2), ("2027-01", T3)):
        await entitlement(
            broker, hh, place.village, members, status=EntitlementStatus.GRADUAL_EXIT,
            effective_from=month, effective_to=month, at=at,
        )  # fmt: skip
    await entitlement(
        broker, hh, place.village, members, status=EntitlementStatus.STOPPED, effective_from="2027-02",
        at=datetime(2026, 11, 1, tzinfo=UTC),
    )  # fmt: skip
    assert await watched(api, a) == {("member", hh)}
    api.clock.set_day(date(2027, 1, 15))
    assert await watched(api, a) == {("member", hh)}
    api.clock.set_day(date(2027, 2, 15))
    assert await watched(api, a) == set()


async def test_approval_paid_from_next_month_is_watched_now(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a = fresh_id()
    hh, place = new_household_id(), Place.new()
    await household_changed(broker, hh, place.village, [member(a)], at=T1)
    await entitlement(broker, hh, place.village, (member(a),), effective_from="2026-12", at=T1)
    assert await watched(api, a) == {("member", hh)}


async def test_another_paying_entitlement_keeps_the_household_watched(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a = fresh_id()
    hh, place = new_household_id(), Place.new()
    members = (member(a),)
    await paid_household(broker, hh, place.village, list(members), at=T1)
    await entitlement(broker, hh, place.village, members, program=Program.TEKUN_DISPERSED, at=T2)
    await entitlement(
        broker, hh, place.village, members, status=EntitlementStatus.STOPPED, effective_from="2026-04", at=T3
    )
    assert await watched(api, a) == {("member", hh)}


async def test_events_delivered_twice_change_nothing(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, b = fresh_id(), fresh_id()
    hh, place = new_household_id(), Place.new()
    members = [member(a), member(b, "李四", "son")]
    await paid_household(broker, hh, place.village, members, at=T1)  # each event is delivered twice
    stop = EntitlementChanged(
        entitlement_id=f"{hh}:dibao",
        household_id=hh,
        region_code=place.village,
        program=Program.DIBAO,
        status=EntitlementStatus.STOPPED,
        monthly_amount="0.00",
        effective_from="2027-01",
        payee=PersonRef(id_number=a, name="张三丰"),
        bank_account_ref="acct-1",
        members=tuple(members),
        changed_at=T2,
    )
    await broker.deliver(stop, subject=f"household/{hh}", times=3)
    async with api.db.sessions() as s:
        periods = await s.scalar(
            select(func.count()).select_from(EntitlementPeriod).where(EntitlementPeriod.entitlement_id == f"{hh}:dibao")
        )
        rows = await s.scalar(select(func.count()).select_from(WatchMember).where(WatchMember.household_id == hh))
    assert periods == 2  # the approval and the stop, each stored once
    assert rows == 2
    assert await watched(api, a) == {("member", hh)}  # stopped from 2027-01: still paid in November


async def _approved(broker: Broker, place: Place, members: list[MemberRef], obligor_id: str) -> tuple[str, str]:
    """An application with one obligor, approved into a new household paid from next month; (application, household)."""
    submitted = application(members, obligors=[obligor(obligor_id)], region_code=place.village)
    await broker.deliver(submitted, subject=f"application/{submitted.application_id}")
    hh = new_household_id()
    await broker.deliver(decided(submitted.application_id, hh), subject=f"household/{hh}")
    await household_changed(broker, hh, place.village, members, at=T2)
    await entitlement(broker, hh, place.village, tuple(members), effective_from="2026-12", at=T2)
    return submitted.application_id, hh


async def _obligor_rows(api: MatchingApi, person: str) -> list[tuple[str, str | None]]:
    assert api.ctx is not None
    async with api.db.sessions() as s:
        rows = await s.execute(
            select(WatchObligor.household_id, WatchObligor.application_id).where(
                WatchObligor.person == api.ctx.keys.of(person)
            )
        )
        return [(str(h), a) for h, a in rows.all()]


async def _status(api: MatchingApi, application_id: str) -> str | None:
    async with api.db.sessions() as s:
        held = await s.get(WatchApplication, application_id)
        return held.status if held else None


async def test_obligors_of_an_approved_application_are_watched_for_its_household(
    api: MatchingApi, broker: Broker
) -> None:
    _today(api)
    a, o = fresh_id(), fresh_id(date(1960, 2, 3))
    place = Place.new()
    submitted = application([member(a)], obligors=[obligor(o)], region_code=place.village)
    await broker.deliver(submitted, subject="application")
    # While the application is pending its people are verified, not watched (DOMAIN.md §3.4).
    assert await watched(api, o) == set()
    assert await watched(api, a) == set()
    hh = new_household_id()
    await broker.deliver(decided(submitted.application_id, hh), subject=f"household/{hh}")
    await household_changed(broker, hh, place.village, [member(a)], at=T2)
    await entitlement(broker, hh, place.village, (member(a),), effective_from="2026-12", at=T2)
    assert await watched(api, o) == {("obligor", hh)}
    assert await watched(api, a) == {("member", hh)}
    assert await _status(api, submitted.application_id) == "decided"
    # Delivered twice: one row, remembering the application it came from.
    assert await _obligor_rows(api, o) == [(hh, submitted.application_id)]


async def test_obligor_with_a_car_raises_an_obligor_hit(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, o = fresh_id(), fresh_id(date(1962, 4, 5))
    _, hh = await _approved(broker, Place.new(), [member(a)], o)
    feed = await load(api, "vehicle", [car(o, "李赡养")])
    assert feed["hits_raised"] == 1
    [hit] = await hits_of(api, o)
    assert (hit.rule_id, hit.role, hit.household_id) == ("vehicle_obligor", "obligor", hh)


async def test_successor_household_inherits_the_obligors(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, b, o = fresh_id(), fresh_id(), fresh_id(date(1961, 7, 8))
    place = Place.new()
    app_id, old = await _approved(broker, place, [member(a), member(b, "李四", "son")], o)
    # 停旧建新 (DOMAIN.md §4): the head died, the old household closes and a successor opens.
    new = new_household_id()
    await household_changed(
        broker, new, place.village, [member(b, "李四", "head")], at=T3, predecessor=old,
        kind=HouseholdChangeKind.SUCCESSOR_OPENED,
    )  # fmt: skip
    await entitlement(broker, new, place.village, (member(b, "李四", "head"),), effective_from="2026-12", at=T3)
    await household_changed(
        broker, old, place.village, [member(b)], at=T3, closed=True, kind=HouseholdChangeKind.CLOSED
    )
    assert await watched(api, o) == {("obligor", new)}
    assert await watched(api, b) == {("member", new)}
    # The old household keeps its row (its history); only the successor is watched.
    assert sorted(await _obligor_rows(api, o)) == sorted([(old, app_id), (new, app_id)])


async def test_rejected_application_moves_no_obligor_and_is_no_longer_pending(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, o = fresh_id(), fresh_id()
    submitted = application([member(a)], obligors=[obligor(o)])
    await broker.deliver(submitted, subject="application")
    assert await _status(api, submitted.application_id) == "pending"
    rejected = decided(submitted.application_id, new_household_id()).model_copy(
        update={"outcome": CaseOutcome.REJECTED, "household_id": None}
    )
    await broker.deliver(rejected, subject="application")
    assert await _status(api, submitted.application_id) == "decided"
    assert await _obligor_rows(api, o) == []
    assert await watched(api, o) == set()


async def test_withdrawn_application_is_no_longer_pending(api: MatchingApi, broker: Broker) -> None:
    _today(api)
    a, o = fresh_id(), fresh_id()
    submitted = application([member(a)], obligors=[obligor(o)])
    await broker.deliver(submitted, subject="application")
    await broker.deliver(
        ApplicationWithdrawn(
            application_id=submitted.application_id, reason="申请人撤回", withdrawn_at=datetime(2026, 11, 5, tzinfo=UTC)
        ),
        subject="application",
    )
    assert await _status(api, submitted.application_id) == "withdrawn"
    assert await _obligor_rows(api, o) == []
