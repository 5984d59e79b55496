"""Staff API of the procedure rules: `/api/v1/intake/procedure-rules` (DOMAIN.md §12, local figures as data)."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from libs.contracts.clock import business_date
from libs.contracts.dates import CivilDate
from libs.kernel.auth import ensure_jurisdiction
from libs.kernel.db import DbSession
from libs.kernel.errors import OutsideJurisdiction, RoleRequired, documented
from libs.modules.local_figures import RegionQuery
from services.intake.context import IntakeCtx
from services.intake.dependencies import County, Reader
from services.intake.local_figures import repository
from services.intake.local_figures.errors import FiguresOutOfBounds, NoRule, RuleExists
from services.intake.local_figures.models import ProcedureRule
from services.intake.local_figures.rules import ProcedureFigures, figure_violations
from services.intake.local_figures.schemas import ProcedureRuleIn, ProcedureRuleOut
from services.intake.local_figures.views import rule_out

router = APIRouter(prefix="/api/v1/intake/procedure-rules", tags=["procedure rules"])
# Every route here refuses the wrong role, and a region outside the jurisdiction.
_STAFF = (RoleRequired, OutsideJurisdiction)


@router.post(
    "", response_model=ProcedureRuleOut, status_code=201, responses=documented(*_STAFF, RuleExists, FiguresOutOfBounds)
)
async def add_rule(body: ProcedureRuleIn, session: DbSession, ctx: IntakeCtx, who: County) -> ProcedureRuleOut:
    """Set a region's figures from a date (county officers for their county, administrators anywhere)."""
    # A prefix wider than the caller's jurisdiction (the nation, the province) is outside it: 403.
    ensure_jurisdiction(who, body.region_prefix)
    figures = ProcedureFigures.read(body)
    violations = figure_violations(figures)
    if violations:
        raise FiguresOutOfBounds(violations)
    rule = ProcedureRule(
        region_prefix=body.region_prefix,
        effective_from=body.effective_from,
        **asdict(figures),
        created_by=who.subject,
        created_at=ctx.now(),
    )
    return rule_out(await repository.RULES.add(session, rule))


@router.get("/in-force", response_model=ProcedureRuleOut, responses=documented(*_STAFF, NoRule))
async def in_force(
    session: DbSession,
    ctx: IntakeCtx,
    who: Reader,
    region_code: RegionQuery,
    on: CivilDate | None = None,
) -> ProcedureRuleOut:
    """The rule that applies to `region_code` on `on` (default today)."""
    ensure_jurisdiction(who, region_code)
    rule = await repository.RULES.in_force(session, region_code, on or business_date(ctx.now()))
    if rule is None:
        raise NoRule("No rule is in force")
    return rule_out(rule)


@router.get("", response_model=list[ProcedureRuleOut], responses=documented(*_STAFF))
async def list_rules(session: DbSession, who: Reader, region_code: RegionQuery) -> list[ProcedureRuleOut]:
    """Every rule that bears on `region_code` (its own and its parents', the national default included)."""
    ensure_jurisdiction(who, region_code)
    return [rule_out(r) for r in await repository.RULES.bearing_on(session, region_code)]
