"""Holds as staff place, release and list them (DOMAIN.md §9)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program
from libs.contracts.text import CleanText


class HoldOut(BaseModel):
    hold_id: str
    household_id: str
    county_code: str
    program: Program | None
    kind: str
    reason: str
    from_period: PeriodStr | None
    created_at: dt.datetime
    created_by: str
    released_at: dt.datetime | None
    released_by: str | None
    release_reason: str | None


class HoldIn(BaseModel):
    household_id: Annotated[str, Field(min_length=1, max_length=64)]
    program: Program | None = None
    reason: Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]


class ReleaseIn(BaseModel):
    reason: Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]
