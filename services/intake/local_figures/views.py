"""Procedure rules as the API shows them."""

from __future__ import annotations

from dataclasses import asdict

from services.intake.local_figures.models import ProcedureRule
from services.intake.local_figures.rules import ProcedureFigures
from services.intake.local_figures.schemas import ProcedureRuleOut


def rule_out(rule: ProcedureRule) -> ProcedureRuleOut:
    return ProcedureRuleOut(
        rule_id=rule.id,
        region_prefix=rule.region_prefix,
        effective_from=rule.effective_from,
        **asdict(ProcedureFigures.read(rule)),
        created_by=rule.created_by,
        created_at=rule.created_at,
    )
