from __future__ import annotations

import datetime as dt

from pydantic import AwareDatetime, BaseModel, Field

from libs.contracts.dates import CivilDate
from libs.contracts.models import Input
from libs.modules.local_figures import RegionPrefix


class ProcedureRuleIn(Input):
    """Local procedure figures for a region from a date; a region may be stricter than the nation, never looser."""

    region_prefix: RegionPrefix
    effective_from: CivilDate
    decision_days: int = Field(ge=1, le=60)
    extended_days: int = Field(ge=1, le=90)
    emergency_days: int = Field(default=3, ge=1, le=60)
    lead_days: int = Field(default=5, ge=1, le=60)
    high_age_min_years: int = Field(default=80, ge=1, le=120)


class ProcedureRuleOut(BaseModel):
    rule_id: int
    region_prefix: str
    effective_from: dt.date
    decision_days: int
    extended_days: int
    emergency_days: int
    lead_days: int
    high_age_min_years: int
    created_by: str
    created_at: AwareDatetime
