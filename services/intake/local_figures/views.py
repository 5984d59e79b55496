"""Procedure rules as the API shows them."""

from __future__ import annotations

from libs.kernel.presenters import from_row
from services.intake.local_figures.models import ProcedureRule
from services.intake.local_figures.schemas import ProcedureRuleOut


def rule_out(rule: ProcedureRule) -> ProcedureRuleOut:
    return from_row(ProcedureRuleOut, rule, rule_id=rule.id)
