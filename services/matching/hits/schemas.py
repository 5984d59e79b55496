"""Shapes of the hits API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from libs.contracts.text import clean_text


def _reason(value: str) -> str:
    if not value:
        raise ValueError("a reason is required")
    return value


# Free text from staff: control, bidirectional-override and zero-width characters removed (libs.contracts.text).
Note = Annotated[str, StringConstraints(max_length=2000), AfterValidator(clean_text)]
Reason = Annotated[str, StringConstraints(max_length=2000), AfterValidator(clean_text), AfterValidator(_reason)]


class HitOut(BaseModel):
    hit_id: str
    rule: str
    source: str
    description: str
    severity: str
    suggested_action: str
    role: str
    household_id: str
    region_code: str
    township_code: str
    person_id_masked: str
    person_name_masked: str
    evidence: dict[str, Any]
    status: str
    raised_at: dt.datetime
    due_date: dt.date
    overdue: bool
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolution: str | None


class ConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Note = ""


class DismissIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason


class TownshipOverdue(BaseModel):
    township_code: str
    overdue: int
    oldest_due_date: dt.date


class OverdueOut(BaseModel):
    region_code: str
    as_of: dt.date
    by_township: list[TownshipOverdue]
    items: list[HitOut]


class DeathOut(BaseModel):
    person_id_masked: str
    person_name_masked: str
    death_date: dt.date
    source: str
    feed_id: str
    household_ids: list[str]
    region_code: str
    raised_at: dt.datetime
