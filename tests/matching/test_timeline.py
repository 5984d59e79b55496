"""Which months an entitlement pays, from its `entitlement-changed` events in the order received (pure).

A later event overrides the months it covers (CONTRACTS.md §6); a household is watched while some entitlement pays
this month or later (DOMAIN.md §5), so `last_month` and `open_ended` decide who matching checks.
"""

from __future__ import annotations

import pytest

from libs.contracts.period import InvalidPeriod
from services.matching.watchlist.timeline import Paid, PeriodEvent, paid_months


def ev(status: str, start: str, end: str | None = None) -> PeriodEvent:
    return PeriodEvent(status, start, end)


NOTHING = Paid(False, None)
FOREVER = Paid(True, None)


def until(month: str) -> Paid:
    return Paid(False, month)


CASES: list[tuple[str, list[PeriodEvent], Paid]] = [
    ("no events", [], NOTHING),
    ("approval, open-ended", [ev("active", "2026-01")], FOREVER),
    ("approval paid from next month", [ev("active", "2026-12")], FOREVER),
    ("bounded active", [ev("active", "2026-01", "2026-06")], until("2026-06")),
    ("stopped only", [ev("stopped", "2026-01")], NOTHING),
    ("stopped from a month", [ev("active", "2026-01"), ev("stopped", "2026-10")], until("2026-09")),
    (
        # Seed 000 §4: a gradual exit is one event per step, then `stopped` from the first month without payment.
        "gradual exit then stopped",
        [
            ev("active", "2026-01"),
            ev("gradual_exit", "2026-12", "2026-12"),
            ev("gradual_exit", "2027-01", "2027-01"),
            ev("stopped", "2027-02"),
        ],
        until("2027-01"),
    ),
    ("gradual exit steps without the stop yet", [ev("active", "2026-01"), ev("gradual_exit", "2026-12")], FOREVER),
    ("resumed after a stop", [ev("active", "2026-01"), ev("stopped", "2026-10"), ev("active", "2027-01")], FOREVER),
    (
        "a later active overrides an earlier stop entirely",
        [ev("stopped", "2026-10"), ev("active", "2026-01")],
        FOREVER,
    ),
    ("a bounded stop inside an open period", [ev("active", "2026-01"), ev("stopped", "2026-03", "2026-04")], FOREVER),
    (
        "stop covers the last month",
        [ev("active", "2026-01", "2026-12"), ev("stopped", "2026-12", "2026-12")],
        until("2026-11"),
    ),
    ("stop covers the tail", [ev("active", "2026-01", "2026-12"), ev("stopped", "2026-06")], until("2026-05")),
    ("stop from before the start", [ev("active", "2026-05"), ev("stopped", "2026-01")], NOTHING),
    ("across a year end", [ev("active", "2025-11", "2026-02")], until("2026-02")),
    (
        "two disjoint paid spells: the later one counts",
        [ev("active", "2026-01", "2026-03"), ev("gradual_exit", "2026-07", "2026-08")],
        until("2026-08"),
    ),
    (
        "an earlier bounded spell after a later one",
        [ev("active", "2026-07", "2026-08"), ev("active", "2026-01", "2026-03")],
        until("2026-08"),
    ),
    # A suspension holds payments but the household keeps its status: it stays on the watch list.
    ("suspended is still watched", [ev("active", "2026-01"), ev("suspended", "2026-05")], FOREVER),
    (
        "the same event twice",
        [ev("active", "2026-01"), ev("stopped", "2026-10"), ev("stopped", "2026-10")],
        until("2026-09"),
    ),
    (
        "stopped, then stopped later: the earlier stop stays",
        [ev("active", "2026-01"), ev("stopped", "2026-08"), ev("stopped", "2026-10")],
        until("2026-07"),
    ),
    ("December boundary", [ev("active", "2026-01"), ev("stopped", "2027-01")], until("2026-12")),
]


@pytest.mark.parametrize(("events", "expected"), [(e, p) for _, e, p in CASES], ids=[c[0] for c in CASES])
def test_paid_months(events: list[PeriodEvent], expected: Paid) -> None:
    assert paid_months(events) == expected


def test_accepts_any_iterable_once() -> None:
    # The service hands a generator over the stored periods.
    events = (e for e in [ev("active", "2026-01"), ev("stopped", "2026-04")])
    assert paid_months(events) == until("2026-03")


@pytest.mark.parametrize("bad", ["2026-13", "2026-1", "26-01"])
def test_malformed_month_is_refused(bad: str) -> None:
    with pytest.raises(InvalidPeriod):
        paid_months([ev("active", bad)])
