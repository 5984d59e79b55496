"""Shapes of the rules and schedules API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from services.matching.rules.spec import RuleSpec
from services.matching.sources import Frequency


class RuleOut(RuleSpec):
    updated_at: dt.datetime
    updated_by: str


class ScheduleOut(BaseModel):
    source: str
    frequency: Frequency
    last_run_at: dt.datetime | None
    next_run_at: dt.datetime | None


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    frequency: Frequency
