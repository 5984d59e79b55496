"""What a series of `entitlement-changed` events says, as every consumer reads it (libs.contracts.entitlements).

CONTRACTS.md §6: a later event overrides the months it covers; a gradual exit is one event per step, then `stopped`.
CONTRACTS.md §4 / DOMAIN.md §9: only `stopped` ends a household's hold on a program; a suspension pays nothing.
"""

from __future__ import annotations

import itertools
import random

import pytest

from libs.contracts.entitlements import CURRENT, PAYING, EntitlementStatus, MonthOverlay, Run, is_current, pays
from libs.contracts.period import Period

ACTIVE, EXIT, SUSPENDED, STOPPED = (
    EntitlementStatus.ACTIVE,
    EntitlementStatus.GRADUAL_EXIT,
    EntitlementStatus.SUSPENDED,
    EntitlementStatus.STOPPED,
)


def p(text: str) -> Period:
    return Period.parse(text)


def run(first: str, last: str | None, value: str) -> Run[str]:
    return Run(p(first), p(last) if last else None, value)


@pytest.mark.parametrize(
    ("status", "paying", "current"),
    [(ACTIVE, True, True), (EXIT, True, True), (SUSPENDED, False, True), (STOPPED, False, False)],
)
def test_which_statuses_pay_and_which_keep_the_household_a_recipient(
    status: EntitlementStatus, paying: bool, current: bool
) -> None:
    assert (pays(status), is_current(status)) == (paying, current)
    # Consumers hold statuses as the stored strings.
    assert (pays(status.value), is_current(status.value)) == (paying, current)


def test_every_paying_status_is_current_and_every_status_is_classified() -> None:
    assert PAYING < CURRENT
    assert CURRENT | {STOPPED} == set(EntitlementStatus)


def test_an_open_ended_approval_decides_every_month_from_its_first() -> None:
    months = MonthOverlay[str]()
    months.lay(p("2026-12"), None, "active")
    assert months.runs() == [run("2026-12", None, "active")]


def test_a_later_event_overrides_only_the_months_it_covers() -> None:
    months = MonthOverlay[str]()
    months.lay(p("2026-01"), None, "a")
    months.lay(p("2026-03"), p("2026-04"), "b")
    assert months.runs() == [run("2026-01", "2026-02", "a"), run("2026-03", "2026-04", "b"), run("2026-05", None, "a")]


def test_a_gradual_exit_then_stopped() -> None:
    months = MonthOverlay[str]()
    months.lay(p("2026-01"), None, "active")
    months.lay(p("2026-12"), p("2026-12"), "gradual_exit 400")
    months.lay(p("2027-01"), p("2027-01"), "gradual_exit 200")
    months.lay(p("2027-02"), None, "stopped")
    assert months.runs() == [
        run("2026-01", "2026-11", "active"),
        run("2026-12", "2026-12", "gradual_exit 400"),
        run("2027-01", "2027-01", "gradual_exit 200"),
        run("2027-02", None, "stopped"),
    ]


def test_an_earlier_month_laid_later_still_wins_its_months() -> None:
    months = MonthOverlay[str]()
    months.lay(p("2026-10"), None, "stopped")
    months.lay(p("2026-01"), None, "active")
    assert months.runs() == [run("2026-01", None, "active")]


def test_neighbours_saying_the_same_are_one_run() -> None:
    months = MonthOverlay[str]()
    months.lay(p("2026-01"), p("2026-06"), "a")
    months.lay(p("2026-07"), None, "a")
    months.lay(p("2026-09"), p("2026-09"), "b")
    assert months.runs() == [run("2026-01", "2026-08", "a"), run("2026-09", "2026-09", "b"), run("2026-10", None, "a")]


def test_a_gap_between_runs_stays_a_gap() -> None:
    months = MonthOverlay[str]()
    months.lay(p("2026-07"), p("2026-08"), "a")
    months.lay(p("2026-01"), p("2026-03"), "a")
    assert months.runs() == [run("2026-01", "2026-03", "a"), run("2026-07", "2026-08", "a")]
    assert MonthOverlay[str]().runs() == []


def test_the_last_month_a_period_can_be_ends_the_run_after_it() -> None:
    # Nothing comes after 9999-12, so an open run under an event ending there has no tail.
    months = MonthOverlay[str]()
    months.lay(p("2026-01"), None, "a")
    months.lay(p("9999-12"), p("9999-12"), "b")
    assert months.runs() == [run("2026-01", "9999-11", "a"), run("9999-12", "9999-12", "b")]


def test_covers() -> None:
    bounded, open_ended = run("2026-03", "2026-05", "a"), run("2026-03", None, "a")
    assert [bounded.covers(p(m)) for m in ("2026-02", "2026-03", "2026-05", "2026-06")] == [False, True, True, False]
    assert open_ended.covers(p("9999-12"))
    assert not open_ended.covers(p("2026-02"))


def test_every_month_says_what_the_last_event_covering_it_said() -> None:
    rng = random.Random(20261206)
    start = p("2026-01")
    for _ in range(300):
        events: list[tuple[Period, Period | None, str]] = []
        months = MonthOverlay[str]()
        for _ in range(rng.randint(1, 6)):
            first = start + rng.randint(0, 24)
            last = first + rng.randint(0, 6) if rng.random() < 0.6 else None
            value = rng.choice("abc")
            events.append((first, last, value))
            months.lay(first, last, value)
        runs = months.runs()
        for a, b in itertools.pairwise(runs):
            assert a.last is not None
            assert a.first <= a.last < b.first
            assert a.value != b.value or a.last.next() != b.first
        for i in range(36):
            month = start + i
            covering = [v for first, last, v in events if first <= month and (last is None or month <= last)]
            said = [r.value for r in runs if r.covers(month)]
            assert said == covering[-1:], (events, month)
