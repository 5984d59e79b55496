"""Rules and schedules as data (DOMAIN.md §5): staff read them; administrators change them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy import select

from libs.kernel.db import DbSession
from libs.kernel.errors import Conflict, NotFound, Unprocessable
from services.matching.context import MatchingCtx
from services.matching.dependencies import Admin, Reader
from services.matching.rules.models import Rule, row_values
from services.matching.rules.spec import RuleSpec
from services.matching.runs.models import SourceSchedule
from services.matching.sources import SOURCES, Frequency

router = APIRouter(prefix="/api/v1/matching", tags=["rules"])


class RuleOut(RuleSpec):
    updated_at: dt.datetime
    updated_by: str


def _out(rule: Rule) -> RuleOut:
    return RuleOut.model_validate(
        {**rule.spec().model_dump(), "updated_at": rule.updated_at, "updated_by": rule.updated_by}
    )


@router.get("/rules", response_model=list[RuleOut])
async def list_rules(session: DbSession, who: Reader) -> list[RuleOut]:
    return [_out(r) for r in await session.scalars(select(Rule).order_by(Rule.source, Rule.id))]


def _validated(data: dict[str, Any]) -> RuleSpec:
    try:
        return RuleSpec.model_validate(data)
    except ValidationError as exc:
        errors = [{"loc": ["body", *map(str, e["loc"])], "msg": e["msg"]} for e in exc.errors()]
        raise Unprocessable("The rule is not valid", code="invalid_rule", errors=errors) from None


@router.post("/rules", response_model=RuleOut, status_code=201, responses={409: {}, 422: {}})
async def add_rule(body: dict[str, Any], session: DbSession, ctx: MatchingCtx, who: Admin) -> RuleOut:
    """A new rule for a source (its next run applies it)."""
    spec = _validated(body)
    if await session.get(Rule, spec.id) is not None:
        raise Conflict(f"A rule {spec.id!r} exists already", code="rule_exists")
    rule = Rule(**row_values(spec), updated_at=ctx.now(), updated_by=who.name)
    session.add(rule)
    await session.flush()
    return _out(rule)


@router.put("/rules/{rule_id}", response_model=RuleOut, responses={404: {}, 422: {}})
async def change_rule(
    rule_id: Annotated[str, Path(max_length=64)],
    body: dict[str, Any],
    session: DbSession,
    ctx: MatchingCtx,
    who: Admin,
) -> RuleOut:
    """Replace a rule's definition (its id and source stay): severity, action, conditions, or `enabled`."""
    rule = await session.get(Rule, rule_id, with_for_update=True)
    if rule is None:
        raise NotFound("No such rule")
    # The listing's own bookkeeping may come back with a rule read from GET; it is not the caller's to set.
    fields = {k: v for k, v in body.items() if k not in ("updated_at", "updated_by")}
    spec = _validated({**fields, "id": rule.id, "source": rule.source})
    for key, value in row_values(spec).items():
        setattr(rule, key, value)
    rule.updated_at = ctx.now()
    rule.updated_by = who.name
    return _out(rule)


class ScheduleOut(BaseModel):
    source: str
    frequency: Frequency
    last_run_at: dt.datetime | None
    next_run_at: dt.datetime | None


class ScheduleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    frequency: Frequency


@router.get("/schedules", response_model=list[ScheduleOut])
async def list_schedules(session: DbSession, who: Reader) -> list[ScheduleOut]:
    held = {s.source: s for s in await session.scalars(select(SourceSchedule))}
    out = []
    for name, spec in SOURCES.items():
        s = held.get(name)
        out.append(
            ScheduleOut(
                source=name,
                frequency=Frequency(s.frequency) if s else spec.frequency,
                last_run_at=s.last_run_at if s else None,
                next_run_at=s.next_run_at if s else None,
            )
        )
    return out


@router.put("/schedules/{source}", response_model=ScheduleOut, responses={404: {}, 422: {}})
async def set_schedule(
    source: Annotated[str, Path(max_length=64)], body: ScheduleIn, session: DbSession, ctx: MatchingCtx, who: Admin
) -> ScheduleOut:
    """How often the latest feed of `source` is matched again; the next run is due at once."""
    if source not in SOURCES:
        raise NotFound("No such source")
    schedule = await session.get(SourceSchedule, source, with_for_update=True)
    if schedule is None:
        schedule = SourceSchedule(source=source)
        session.add(schedule)
    schedule.frequency = body.frequency.value
    schedule.next_run_at = None
    schedule.updated_by = who.name
    await session.flush()
    return ScheduleOut(
        source=source, frequency=body.frequency, last_run_at=schedule.last_run_at, next_run_at=schedule.next_run_at
    )
