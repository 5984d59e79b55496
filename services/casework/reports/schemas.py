"""Monthly village dynamic reports as staff file and read them (DOMAIN.md §4, seed 001 §三(二))."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from libs.contracts.models import Input
from libs.contracts.text import CleanText


class ChangeKind(StrEnum):
    # What seed 001 asks villages to report (就业、收入、大额消费、受灾、大病、死亡、服刑), plus moving away
    # (a stop reason, DOMAIN.md §4) and anything else the assistant noticed on the home visit.
    EMPLOYMENT = "employment"
    INCOME = "income"
    LARGE_PURCHASE = "large_purchase"
    DISASTER = "disaster"
    SERIOUS_ILLNESS = "serious_illness"
    DEATH = "death"
    IMPRISONMENT = "imprisonment"
    MOVED = "moved"
    OTHER = "other"


HouseholdId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Detail = Annotated[CleanText, StringConstraints(max_length=2000)]


class EntryIn(Input):
    """One recipient household: what changed this month (`changes` empty: nothing)."""

    household_id: HouseholdId
    # A model copies a default per instance; ruff cannot see across files that Input is one.
    changes: Annotated[list[ChangeKind], Field(max_length=len(ChangeKind) * 2)] = []  # noqa: RUF012
    detail: Detail = ""


class ReportIn(Input):
    """A village's report for one month: an entry per recipient household, or an explicit zero report (零报告:
    nothing changed in any recipient household, in particular nobody died)."""

    zero_report: bool
    entries: Annotated[list[EntryIn], Field(max_length=5000)] = []  # noqa: RUF012 (as EntryIn.changes)


class ForwardIn(Input):
    """The township passes its villages' reports of a month to the county (by the 25th, seed 001)."""

    township_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=12)]
    period: Annotated[str, StringConstraints(strip_whitespace=True, max_length=7)]


class EntryOut(BaseModel):
    household_id: str
    changes: list[ChangeKind]
    detail: str
    # The triggered review the entry opened (or found already open for the same report line); None: no change.
    case_id: str | None


class ReportSummary(BaseModel):
    id: str
    village_code: str
    period: str
    zero_report: bool
    late: bool
    filed_by: str
    filed_at: AwareDatetime
    forwarded_by: str | None
    forwarded_at: AwareDatetime | None
    households: int  # entries in the report
    changed: int  # entries with at least one change


class ReportOut(ReportSummary):
    due_date: dt.date
    entries: list[EntryOut]


class ForwardOut(BaseModel):
    forwarded: int  # reports marked forwarded by this call
    late: bool  # forwarded after the township due day of the period
    due_date: dt.date
    missing_villages: list[str]  # villages with recipient households and no report for the period


class MissingVillage(BaseModel):
    village_code: str
    households: int  # active recipient households
    due_date: dt.date
    # Missing villages are listed from the first day of the period, so townships can chase them before the
    # deadline; `overdue` says the village due day has passed.
    overdue: bool


class LateReport(BaseModel):
    village_code: str
    filed_at: AwareDatetime


class OverdueOut(BaseModel):
    period: str
    due_date: dt.date  # village due day for the queried area (a village with its own figure has its own)
    forward_due_date: dt.date
    missing: list[MissingVillage]
    late: list[LateReport]
    # Townships with a report of the period they have not forwarded to the county yet.
    not_forwarded: list[str]
