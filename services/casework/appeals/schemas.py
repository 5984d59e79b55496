"""Appeals as staff file, decide and read them (issue 21)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.models import Input
from libs.contracts.text import CleanText
from services.casework.appeals.rules import AppealStatus, Ground

Statement = Annotated[CleanText, StringConstraints(min_length=1, max_length=4000)]
Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=1000)]


class AppealIn(Input):
    """The household's or applicant's appeal, as the township or county took it down."""

    statement: Statement


class AppealDecisionIn(Input):
    """The county's decision on an appeal, with its written reasons (both outcomes are explained to the household)."""

    outcome: Literal["upheld", "overturned"]
    reasons: tuple[Reason, ...] = Field(min_length=1, max_length=10)


class AppealOut(BaseModel):
    appeal_id: str
    case_id: str
    region_code: str
    household_id: str | None
    program: str
    ground: Ground
    against_outcome: CaseOutcome
    decided_on: dt.date
    original_effective_month: str | None
    # The last day the appeal could be filed (the day of the decision + the region's `appeal_days`).
    window_ends_on: dt.date
    statement: str
    filed_by: str
    filed_at: AwareDatetime
    status: AppealStatus
    reasons: list[str]
    # Overturned: the month the approval pays from, or the month the entitlement is restored from.
    effective_month: str | None
    decided_by: str | None
    decided_at: AwareDatetime | None
