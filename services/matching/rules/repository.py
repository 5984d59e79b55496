"""Reading the rules table."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.rules.models import Rule
from services.matching.rules.spec import RuleSpec


async def enabled_rules(session: AsyncSession, source: str | None = None) -> list[RuleSpec]:
    query = select(Rule).where(Rule.enabled).order_by(Rule.source, Rule.id)
    if source is not None:
        query = query.where(Rule.source == source)
    return [rule.spec() for rule in await session.scalars(query)]


async def all_rules(session: AsyncSession) -> list[Rule]:
    return list((await session.scalars(select(Rule).order_by(Rule.source, Rule.id))).all())


async def rule(session: AsyncSession, rule_id: str, *, lock: bool = False) -> Rule | None:
    return await session.get(Rule, rule_id, with_for_update=lock)
