"""Pure rules of the monthly village dynamic report (DOMAIN.md §4, seed 001 §三(二)): what a report must contain,
when it is due, when it is late. No I/O.

Seed 001: villages report every recipient household's changes (employment, income, large purchases, disasters,
serious illness, deaths, imprisonment) to the township before the 20th, "无死亡也须零报告"; townships pass them
to the county before the 25th. Both days are local figures (`village_report_due_day`, `township_report_due_day`).
Each violation names its `loc` in the request, so the assistant sees exactly which entry to fix.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from libs.contracts.period import InvalidPeriod, Period
from services.casework.reports.schemas import ChangeKind, EntryIn, ReportIn

Loc = tuple[str | int, ...]

_VILLAGE = re.compile(r"[0-9]{12}")
_AREA = re.compile(r"[0-9]{4}([0-9]{2}([0-9]{3})?)?")


@dataclass(frozen=True, slots=True)
class Violation:
    loc: Loc
    code: str
    msg: str
    # The household a violation is about, where there is one (the missing households are listed by id).
    ref: str | None = None


def parse_period(text: str, loc: Loc, today: dt.date) -> tuple[Period | None, list[Violation]]:
    """The period of a report, which may not lie after the current month (a report tells what already happened)."""
    try:
        period = Period.parse(text)
    except InvalidPeriod as exc:
        return None, [Violation(loc, exc.code, exc.message)]
    if period > Period.of(today):
        return None, [Violation(loc, "period_in_future", f"{period} has not begun; reports follow the month")]
    return period, []


def check_target(village_code: str, period: str, today: dt.date) -> tuple[Period | None, list[Violation]]:
    """The village and month a report is filed for (path parameters)."""
    out: list[Violation] = []
    if not _VILLAGE.fullmatch(village_code):
        out.append(Violation(("path", "village_code"), "invalid_village_code", "a village code has 12 digits"))
    parsed, bad = parse_period(period, ("path", "period"), today)
    return parsed, out + bad


def check_area(region_code: str, loc: Loc) -> list[Violation]:
    """A city, county or township prefix (4, 6 or 9 digits): the area whose missing reports are listed."""
    if _AREA.fullmatch(region_code):
        return []
    return [Violation(loc, "invalid_region_code", "a city, county or township code has 4, 6 or 9 digits")]


def check_township(township_code: str, loc: Loc) -> list[Violation]:
    if re.fullmatch(r"[0-9]{9}", township_code):
        return []
    return [Violation(loc, "invalid_township_code", "a township code has 9 digits")]


def _entry_violations(i: int, entry: EntryIn) -> Iterable[Violation]:
    loc: Loc = ("body", "entries", i)
    for kind, n in Counter(entry.changes).items():
        if n > 1:
            yield Violation((*loc, "changes"), "duplicate_change", f"{kind.value} is listed {n} times")
    # "Other" says nothing by itself: the township must know what to check.
    if ChangeKind.OTHER in entry.changes and not entry.detail:
        yield Violation((*loc, "detail"), "detail_required", "a change of kind 'other' needs a detail")


def check_report(body: ReportIn, active_households: Sequence[str]) -> list[Violation]:
    """A report is either an explicit zero report (no entries) or one entry per active recipient household of the
    village, each household exactly once, no other household (seed 001: every recipient household, every month)."""
    out: list[Violation] = []
    if body.zero_report:
        if body.entries:
            out.append(Violation(("body", "entries"), "zero_report_with_entries", "a zero report has no entries"))
        return out
    if not active_households:
        out.append(
            Violation(
                ("body", "zero_report"),
                "zero_report_required",
                "the village has no recipient household: file a zero report",
            )
        )
        return out
    active = set(active_households)
    seen: set[str] = set()
    for i, entry in enumerate(body.entries):
        loc: Loc = ("body", "entries", i, "household_id")
        if entry.household_id not in active:
            out.append(
                Violation(loc, "unknown_household", f"{entry.household_id} is not a recipient household of the village")
            )
        elif entry.household_id in seen:
            out.append(Violation(loc, "duplicate_household", f"{entry.household_id} has more than one entry"))
        seen.add(entry.household_id)
        out.extend(_entry_violations(i, entry))
    for household_id in sorted(active - seen):
        out.append(
            Violation(("body", "entries"), "households_missing", f"no entry for household {household_id}", household_id)
        )
    return out


def due_date(period: Period, due_day: int) -> dt.date:
    """The last day a report of `period` is on time: the due day of the period's own month (a short month ends
    it on its last day)."""
    return period.first_day.replace(day=max(1, min(due_day, period.last_day.day)))


def is_late(period: Period, due_day: int, filed_on: dt.date) -> bool:
    """Filed after the due day of the period's month; a report filed in any later month is late too."""
    return filed_on > due_date(period, due_day)


def case_summary(period: str, entry: EntryIn) -> str:
    """What the triggered review is about, as the township reads it in its case list. The free-text detail is left
    out: it may name an illness (DOMAIN.md §11), so it travels in the sealed case content instead."""
    return f"村级动态月报 village report {period}: {', '.join(kind.value for kind in entry.changes)}"
