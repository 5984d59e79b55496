"""The audit's queries: rows inside a reader's jurisdiction, filtered, newest first, a page at a time (keyset)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.audit.access import AccessAudit
from gateway.audit.actions import AdminAction
from libs.kernel.pagination import decode_keyset


def _filtered(
    query: Select[Any], equal: Mapping[Any, object], moment: Any, since: datetime | None, until: datetime | None
) -> Select[Any]:
    """`query` narrowed to the filters given (None: not filtered) and to [since, until)."""
    for column, value in equal.items():
        if value is not None:
            query = query.where(column == value)
    if since is not None:
        query = query.where(moment >= since)
    if until is not None:
        query = query.where(moment < until)
    return query


def _after(query: Select[Any], column: Any, cursor: str | None) -> Select[Any]:
    keyset = decode_keyset(cursor, tuple[int])
    return query.where(column < keyset[0]) if keyset is not None else query


async def access_rows(
    session: AsyncSession,
    region: str,
    equal: Mapping[Any, object],
    path_prefix: str | None,
    *,
    since: datetime | None,
    until: datetime | None,
    cursor: str | None,
    limit: int,
) -> Sequence[AccessAudit]:
    """Audited requests of principals inside `region` (all of them, requests nobody signed in for too, for "")."""
    query = select(AccessAudit)
    if region:
        query = query.where(AccessAudit.principal_region.startswith(region, autoescape=True))
    query = _filtered(query, equal, AccessAudit.occurred_at, since, until)
    if path_prefix:
        query = query.where(AccessAudit.path.startswith(path_prefix, autoescape=True))
    query = _after(query, AccessAudit.id, cursor).order_by(AccessAudit.id.desc()).limit(limit + 1)
    return (await session.scalars(query)).all()


async def action_rows(
    session: AsyncSession,
    region: str,
    equal: Mapping[Any, object],
    *,
    since: datetime | None,
    until: datetime | None,
    cursor: str | None,
    limit: int,
) -> Sequence[AdminAction]:
    """Administrative acts on accounts inside `region`."""
    query = select(AdminAction).where(AdminAction.region_code.startswith(region, autoescape=True))
    query = _filtered(query, equal, AdminAction.occurred_at, since, until)
    query = _after(query, AdminAction.id, cursor).order_by(AdminAction.id.desc()).limit(limit + 1)
    return (await session.scalars(query)).all()
