"""Rules and schedules as data (DOMAIN.md §5): staff read them; administrators change them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path

from libs.kernel.db import DbSession
from services.matching.context import MatchingCtx
from services.matching.dependencies import Admin, Reader
from services.matching.rules import repository, service, views
from services.matching.rules.schemas import RuleOut, ScheduleIn, ScheduleOut
from services.matching.schedules import repository as schedules
from services.matching.views import WRONG_ROLE

router = APIRouter(prefix="/api/v1/matching", tags=["rules"])


_CHANGE: dict[int | str, dict[str, Any]] = {
    403: {"description": "Only a system administrator changes rules and schedules"},
    422: {"description": "Not a valid rule or schedule; `errors` names each field"},
}


@router.get("/rules", response_model=list[RuleOut], responses=WRONG_ROLE)
async def list_rules(session: DbSession, who: Reader) -> list[RuleOut]:
    """Every rule, enabled or not, by source."""
    return [views.rule_out(r) for r in await repository.all_rules(session)]


@router.post(
    "/rules",
    response_model=RuleOut,
    status_code=201,
    responses={**_CHANGE, 409: {"description": "A rule with this id exists already"}},
)
async def add_rule(body: dict[str, Any], session: DbSession, ctx: MatchingCtx, who: Admin) -> RuleOut:
    """A new rule for a source (its next run applies it)."""
    return views.rule_out(await service.add_rule(session, ctx, who, body))


@router.put("/rules/{rule_id}", response_model=RuleOut, responses={**_CHANGE, 404: {"description": "No such rule"}})
async def change_rule(
    rule_id: Annotated[str, Path(max_length=64)],
    body: dict[str, Any],
    session: DbSession,
    ctx: MatchingCtx,
    who: Admin,
) -> RuleOut:
    """Replace a rule's definition (its id and source stay): severity, action, conditions, or `enabled`."""
    return views.rule_out(await service.change_rule(session, ctx, who, rule_id, body))


@router.get("/schedules", response_model=list[ScheduleOut], responses=WRONG_ROLE)
async def list_schedules(session: DbSession, who: Reader) -> list[ScheduleOut]:
    """How often each source's latest feed is matched again, and when it last and next runs."""
    return views.schedules_out(await schedules.schedules_by_source(session))


@router.put(
    "/schedules/{source}", response_model=ScheduleOut, responses={**_CHANGE, 404: {"description": "No such source"}}
)
async def set_schedule(
    source: Annotated[str, Path(max_length=64)], body: ScheduleIn, session: DbSession, who: Admin
) -> ScheduleOut:
    """How often the latest feed of `source` is matched again; the next run is due at once."""
    return views.schedule_out(source, await service.set_schedule(session, who, source, body.frequency))
