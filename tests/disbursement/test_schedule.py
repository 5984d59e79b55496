"""An entitlement's months from its `entitlement-changed` events and the deaths among its members (pure; no database).

CONTRACTS.md §6: a later event overrides the months it covers; a gradual exit is one event per step, then `stopped`.
DOMAIN.md §9: nothing is due after the month a listed member died, until casework decides without them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

from services.disbursement.entitlements.models import SegmentOrigin
from services.disbursement.ledger.schedule import PeriodEvent, Segment, due_in, schedule
from services.disbursement.months import add_months

HEAD, CHILD, OTHER = "hash-head", "hash-child", "hash-other"
CASEWORK, DEATH = SegmentOrigin.CASEWORK, SegmentOrigin.DEATH


def m(period: str) -> dt.date:
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def event(
    first: str,
    last: str | None = None,
    *,
    amount: int = 56000,
    status: str = "active",
    members: tuple[str, ...] = (HEAD, CHILD),
) -> PeriodEvent:
    return PeriodEvent(status, amount, m(first), m(last) if last else None, members)


def seg(first: str, last: str | None, status: str, due: int, origin: SegmentOrigin = CASEWORK) -> Segment:
    return Segment(m(first), m(last) if last else None, status, due, origin)


def test_an_open_ended_approval_pays_every_month_from_its_first() -> None:
    segments = schedule([event("2026-12")], {})
    assert segments == [seg("2026-12", None, "active", 56000)]
    assert due_in(segments, m("2026-11")) == 0
    assert due_in(segments, m("2026-12")) == 56000
    assert due_in(segments, m("2031-07")) == 56000


def test_a_bounded_period_pays_nothing_after_its_last_month() -> None:
    segments = schedule([event("2026-12", "2027-02", amount=30000)], {})
    assert segments == [seg("2026-12", "2027-02", "active", 30000)]
    assert [due_in(segments, m(p)) for p in ("2026-11", "2026-12", "2027-02", "2027-03")] == [0, 30000, 30000, 0]


def test_a_later_adjustment_overrides_only_the_months_it_covers() -> None:
    segments = schedule([event("2026-12"), event("2027-03", amount=60000)], {})
    assert segments == [seg("2026-12", "2027-02", "active", 56000), seg("2027-03", None, "active", 60000)]


def test_a_bounded_later_event_splits_an_open_period_in_three() -> None:
    # A temporary adjustment for two months, then the approved amount again.
    segments = schedule([event("2026-12"), event("2027-02", "2027-03", amount=20000)], {})
    assert segments == [
        seg("2026-12", "2027-01", "active", 56000),
        seg("2027-02", "2027-03", "active", 20000),
        seg("2027-04", None, "active", 56000),
    ]


def test_a_gradual_exit_arrives_as_steps_then_stopped() -> None:
    events = [
        event("2026-12"),
        event("2027-03", "2027-03", amount=40000, status="gradual_exit"),
        event("2027-04", "2027-04", amount=20000, status="gradual_exit"),
        event("2027-05", amount=0, status="stopped"),
    ]
    segments = schedule(events, {})
    assert segments == [
        seg("2026-12", "2027-02", "active", 56000),
        seg("2027-03", "2027-03", "gradual_exit", 40000),
        seg("2027-04", "2027-04", "gradual_exit", 20000),
        seg("2027-05", None, "stopped", 0),
    ]
    monthly = [due_in(segments, add_months(m("2027-02"), i)) for i in range(5)]
    assert monthly == [56000, 40000, 20000, 0, 0]


def test_suspended_and_stopped_pay_nothing_whatever_amount_they_carry() -> None:
    segments = schedule([event("2026-12"), event("2027-01", "2027-02", amount=56000, status="suspended")], {})
    assert segments[1] == seg("2027-01", "2027-02", "suspended", 0)
    assert due_in(segments, m("2027-03")) == 56000
    stopped = schedule([event("2026-12"), event("2027-01", amount=56000, status="stopped")], {})
    assert due_in(stopped, m("2027-01")) == 0


def test_a_death_stops_every_month_after_the_month_of_death() -> None:
    # The child died in November: December (the first month not due) onwards stops, for the original approval and
    # for a later adjustment that still lists the child.
    events = [event("2026-10"), event("2027-01", amount=60000)]
    segments = schedule(events, {CHILD: m("2026-12")})
    assert segments[0] == seg("2026-10", "2026-11", "active", 56000)
    assert {(s.status, s.due_fen, s.origin) for s in segments[1:]} == {("stopped", 0, DEATH)}
    assert segments[1].first_month == m("2026-12")
    assert segments[-1].last_month is None


def test_a_decision_without_the_dead_person_pays_again() -> None:
    # Casework adjusts the amount for the surviving member from March; February stays stopped by the death.
    events = [event("2026-10"), event("2027-03", amount=30000, members=(HEAD,))]
    segments = schedule(events, {CHILD: m("2027-02")})
    assert segments == [
        seg("2026-10", "2027-01", "active", 56000),
        seg("2027-02", "2027-02", "stopped", 0, DEATH),
        seg("2027-03", None, "active", 30000),
    ]


def test_a_decision_from_the_month_after_death_leaves_nothing_stopped() -> None:
    events = [event("2026-10"), event("2026-12", amount=30000, members=(HEAD,))]
    segments = schedule(events, {CHILD: m("2026-12")})
    assert segments == [seg("2026-10", "2026-11", "active", 56000), seg("2026-12", None, "active", 30000)]
    assert all(s.origin == CASEWORK for s in segments)


def test_a_later_event_listing_the_dead_person_again_is_stopped_again() -> None:
    events = [
        event("2026-10"),
        event("2027-01", amount=30000, members=(HEAD,)),
        event("2027-04", amount=45000),  # lists the child again: the death is laid over it too
    ]
    segments = schedule(events, {CHILD: m("2026-12")})
    assert [due_in(segments, m(p)) for p in ("2026-11", "2026-12", "2027-04", "2027-09")] == [56000, 0, 0, 0]


def test_a_later_event_listing_the_dead_person_leaves_earlier_decisions_without_them_paid() -> None:
    events = [
        event("2026-10"),
        event("2027-01", amount=30000, members=(HEAD,)),
        event("2027-04", amount=45000),
    ]
    segments = schedule(events, {CHILD: m("2026-12")})
    assert segments == [
        seg("2026-10", "2026-11", "active", 56000),
        seg("2026-12", "2026-12", "stopped", 0, DEATH),
        seg("2027-01", "2027-03", "active", 30000),
        seg("2027-04", None, "stopped", 0, DEATH),
    ]


def test_the_earliest_of_several_deaths_stops_and_others_are_ignored() -> None:
    segments = schedule([event("2026-10")], {CHILD: m("2027-03"), HEAD: m("2027-01"), OTHER: m("2026-11")})
    assert segments == [seg("2026-10", "2026-12", "active", 56000), seg("2027-01", None, "stopped", 0, DEATH)]


def test_a_death_before_the_first_month_leaves_nothing_due() -> None:
    segments = schedule([event("2026-12", members=(HEAD,))], {HEAD: m("2026-11")})
    assert [(s.last_month, s.status, s.due_fen, s.origin) for s in segments] == [(None, "stopped", 0, DEATH)]
    assert segments[0].first_month <= m("2026-12")
    assert [due_in(segments, m(p)) for p in ("2026-12", "2027-06")] == [0, 0]


def test_no_events_no_months() -> None:
    assert schedule([], {HEAD: m("2026-11")}) == []
    assert due_in([], m("2026-12")) == 0


def test_segments_are_ordered_without_overlaps_and_agree_with_the_last_event_covering_each_month() -> None:
    rng = random.Random(20261202)
    statuses = ("active", "gradual_exit", "suspended", "stopped")
    for _ in range(300):
        events: list[PeriodEvent] = []
        for _ in range(rng.randint(1, 6)):
            first = add_months(m("2026-01"), rng.randint(0, 24))
            last = add_months(first, rng.randint(0, 6)) if rng.random() < 0.6 else None
            status = rng.choice(statuses)
            events.append(PeriodEvent(status, rng.randint(1, 9) * 10000, first, last, (HEAD,)))
        segments = schedule(events, {})
        for a, b in itertools.pairwise(segments):
            assert a.last_month is not None
            assert a.first_month <= a.last_month < b.first_month
        for i in range(36):
            month = add_months(m("2026-01"), i)
            covering = [e for e in events if e.first_month <= month and (e.last_month is None or month <= e.last_month)]
            want = 0
            if covering and covering[-1].status in ("active", "gradual_exit"):
                want = covering[-1].amount_fen
            assert due_in(segments, month) == want, (events, month)
