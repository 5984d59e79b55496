"""Hits from `matched`, one INSERT … SELECT per rule, all inside PostgreSQL (DOMAIN.md §5).

A person found under two households (a member here, an obligor there) gets one hit per rule and evidence: the
household they are a member of first. The unique key (person, rule, evidence) makes a repeated feed, or a
scheduled pass over the same feed, raise nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, Text, cast, distinct, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by, distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.hits.models import Hit, HitStatus
from services.matching.rules.compile import evidence, evidence_key, matched, predicate
from services.matching.rules.matched import affected
from services.matching.rules.spec import RuleKind, RuleSpec

_COLUMNS = [
    "id", "rule_id", "source", "person", "role", "household_id", "region_code", "township_code", "severity",
    "suggested_action", "description", "evidence", "evidence_key", "feed_id", "status", "raised_at", "due_date",
]  # fmt: skip


def _constants(rule: RuleSpec, raised_at: dt.datetime, due: dt.date) -> dict[str, ColumnElement[Any]]:
    return {
        "rule_id": literal(rule.id),
        "severity": literal(rule.severity.value),
        "suggested_action": literal(rule.suggested_action),
        "description": literal(rule.description),
        "status": literal(HitStatus.OPEN.value),
        "raised_at": literal(raised_at),
        "due_date": literal(due),
    }


def _record_hits(rule: RuleSpec, raised_at: dt.datetime, due: dt.date) -> Select[Any]:
    key = evidence_key(rule)
    c = _constants(rule, raised_at, due)
    m = matched.c
    return (
        select(
            cast(func.gen_random_uuid(), Hit.id.type),
            c["rule_id"],
            m.source,
            m.person,
            m.role,
            m.household_id,
            m.region_code,
            func.left(m.region_code, 9),
            c["severity"],
            c["suggested_action"],
            c["description"],
            evidence(rule),
            key,
            m.feed_id,
            c["status"],
            c["raised_at"],
            c["due_date"],
        )
        .where(predicate(rule), m.household_id.is_not(None))
        .ext(distinct_on(m.person, key))
        .order_by(m.person, key, (m.role == "member").desc(), m.household_id)
    )


def _household_hits(rule: RuleSpec, raised_at: dt.datetime, due: dt.date) -> Select[Any]:
    assert rule.aggregate is not None
    c = _constants(rule, raised_at, due)
    m = matched.c
    counted = m[rule.aggregate.distinct]
    as_text = cast(counted, Text)
    key = func.string_agg(distinct(as_text), aggregate_order_by(literal_column("'|'"), as_text))
    return (
        select(
            cast(func.gen_random_uuid(), Hit.id.type),
            c["rule_id"],
            func.min(m.source),
            cast(func.min(cast(m.person, Text)), m.person.type),
            literal("member"),
            m.household_id,
            func.min(m.region_code),
            func.left(func.min(m.region_code), 9),
            c["severity"],
            c["suggested_action"],
            c["description"],
            func.jsonb_build_object("records", func.jsonb_agg(evidence(rule))),
            key,
            func.min(m.feed_id),
            c["status"],
            c["raised_at"],
            c["due_date"],
        )
        .where(predicate(rule), m.household_id.is_not(None))
        .group_by(m.household_id)
        .having(func.count(func.distinct(counted)) >= cast(literal(rule.aggregate.at_least), Integer))
    )


async def raise_hits(session: AsyncSession, rules: Sequence[RuleSpec], raised_at: dt.datetime, due: dt.date) -> int:
    """Raise the hits of `rules` (record and household rules; deaths are raised apart) found in `matched`."""
    raised = 0
    for rule in rules:
        if not rule.enabled or rule.kind is RuleKind.DEATH:
            continue
        query = (
            _household_hits(rule, raised_at, due)
            if rule.kind is RuleKind.HOUSEHOLD_COUNT
            else _record_hits(rule, raised_at, due)
        )
        stmt = (
            insert(Hit)
            .from_select(_COLUMNS, query)
            .on_conflict_do_nothing(index_elements=["person", "rule_id", "evidence_key"])
        )
        result = await session.execute(stmt)
        raised += affected(result)
    return raised
