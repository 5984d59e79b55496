"""Shapes of the hits API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


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
