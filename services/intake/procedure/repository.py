"""Reading the procedure figures in force for a region on a day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.procedure.models import ProcedureRule
from services.intake.procedure.rules import NATIONAL_DEFAULTS, ProcedureFigures


def figures_of(rule: ProcedureRule) -> ProcedureFigures:
    return ProcedureFigures(
        decision_days=rule.decision_days,
        extended_days=rule.extended_days,
        emergency_days=rule.emergency_days,
        lead_days=rule.lead_days,
        high_age_min_years=rule.high_age_min_years,
    )


async def rule_in_force(session: AsyncSession, region_code: str, day: dt.date) -> ProcedureRule | None:
    """The most specific prefix of `region_code` with a rule in force on `day`; the latest such rule wins."""
    stmt = (
        select(ProcedureRule)
        .where(literal(region_code).startswith(ProcedureRule.region_prefix), ProcedureRule.effective_from <= day)
        .order_by(func.length(ProcedureRule.region_prefix).desc(), ProcedureRule.effective_from.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def figures_for(session: AsyncSession, region_code: str, day: dt.date) -> ProcedureFigures:
    rule = await rule_in_force(session, region_code, day)
    # The migration seeds a national row, so the fallback only covers a database someone emptied by hand.
    return figures_of(rule) if rule is not None else NATIONAL_DEFAULTS
