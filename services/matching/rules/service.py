"""Administrators change the rules and schedules (DOMAIN.md §5); a change applies from the next run."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.errors import NotFound
from services.matching.context import Matching
from services.matching.rules import repository
from services.matching.rules.errors import InvalidRule, RuleExists
from services.matching.rules.models import Rule, row_values
from services.matching.rules.spec import RuleSpec
from services.matching.schedules import repository as schedules
from services.matching.schedules.models import SourceSchedule
from services.matching.sources import SOURCES, Frequency


def _validated(data: dict[str, Any]) -> RuleSpec:
    try:
        return RuleSpec.model_validate(data)
    except ValidationError as exc:
        errors = [{"loc": ["body", *map(str, e["loc"])], "msg": e["msg"]} for e in exc.errors()]
        raise InvalidRule("The rule is not valid", errors=errors) from None


async def add_rule(session: AsyncSession, ctx: Matching, who: Principal, body: dict[str, Any]) -> Rule:
    spec = _validated(body)
    if await repository.rule(session, spec.id) is not None:
        raise RuleExists(f"A rule {spec.id!r} exists already")
    rule = Rule(**row_values(spec), updated_at=ctx.now(), updated_by=who.name)
    session.add(rule)
    await session.flush()
    return rule


async def change_rule(session: AsyncSession, ctx: Matching, who: Principal, rule_id: str, body: dict[str, Any]) -> Rule:
    rule = await repository.rule(session, rule_id, lock=True)
    if rule is None:
        raise NotFound("No such rule")
    # The listing's own bookkeeping may come back with a rule read from GET; it is not the caller's to set.
    fields = {k: v for k, v in body.items() if k not in ("updated_at", "updated_by")}
    spec = _validated({**fields, "id": rule.id, "source": rule.source})
    for key, value in row_values(spec).items():
        setattr(rule, key, value)
    rule.updated_at = ctx.now()
    rule.updated_by = who.name
    return rule


async def set_schedule(session: AsyncSession, who: Principal, source: str, frequency: Frequency) -> SourceSchedule:
    if source not in SOURCES:
        raise NotFound("No such source")
    schedule = await schedules.schedule(session, source)
    if schedule is None:
        schedule = SourceSchedule(source=source)
        session.add(schedule)
    schedule.frequency = frequency.value
    schedule.next_run_at = None
    schedule.updated_by = who.name
    await session.flush()
    return schedule
