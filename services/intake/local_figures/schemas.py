from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from libs.contracts.dates import CivilDate
from libs.contracts.models import Input


class ProcedureRuleIn(Input):
    """Local procedure figures for a region from a date; a region may be stricter than the nation, never looser."""

    region_prefix: Annotated[str, StringConstraints(pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$")]
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
