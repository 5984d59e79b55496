"""`/api/v1/admin/audit`: reading the audit back, newest first (issue 17: "who read which identity or account
number, who decided what").

- `access`: every request through the gateway; filter by who (`subject`), what the service said it did (`action`,
  e.g. `bank_account.revealed`, and its `target`, e.g. `household/<id>`), where (`path_prefix`, `service`), how it
  ended (`status`) and when (`since`, `until`).
- `actions`: administrative acts on accounts (created, deactivated, reset, unlocked, revoked…).

System administrators and city supervisors (spot checks, DOMAIN.md §1) read the rows of principals and accounts
inside their own jurisdiction; rows of requests nobody signed in for belong to the whole-country administrators.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Select, select

from gateway.audit.access import AccessAudit
from gateway.audit.actions import AdminAction, AdminActionKind
from gateway.audit.schemas import AccessOut, AdminActionOut
from gateway.auth.dependencies import CurrentCaller
from gateway.auth.router import PROBLEM
from gateway.auth.tokens import Caller
from libs.contracts.dates import Instant
from libs.contracts.staff import StaffRole
from libs.kernel.auth import PrincipalKind
from libs.kernel.db import DbSession
from libs.kernel.errors import RoleRequired
from libs.kernel.pagination import Cursor, Limit, Page, decode_keyset, page_of

_AUDITORS = frozenset({StaffRole.system_admin.value, StaffRole.city_supervisor.value})
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No or invalid access token", **PROBLEM},
    403: {"description": "Not a system_admin or city_supervisor", **PROBLEM},
    422: {"description": "Invalid filter or cursor", **PROBLEM},
}


async def auditor(caller: CurrentCaller) -> Caller:
    principal = caller.principal
    if principal.kind is not PrincipalKind.staff or principal.roles.isdisjoint(_AUDITORS):
        raise RoleRequired("Reading the audit needs the role system_admin or city_supervisor")
    return caller


Auditor = Annotated[Caller, Depends(auditor)]
Text = Annotated[str | None, Query(max_length=128)]
audit_router = APIRouter(prefix="/api/v1/admin/audit", tags=["audit"], responses=_ERRORS)


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


@audit_router.get("/access", response_model=Page[AccessOut])
async def access(
    session: DbSession,
    caller: Auditor,
    subject: Text = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    target: Text = None,
    path_prefix: Annotated[str | None, Query(max_length=512)] = None,
    service: Annotated[str | None, Query(max_length=32)] = None,
    status: Annotated[int | None, Query(ge=100, le=599)] = None,
    since: Annotated[Instant | None, Query()] = None,
    until: Annotated[Instant | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Page[AccessOut]:
    """Audited requests inside your jurisdiction, newest first."""
    region = caller.principal.region_prefix
    query = select(AccessAudit)
    if region:
        query = query.where(AccessAudit.principal_region.startswith(region, autoescape=True))
    equal = {AccessAudit.subject: subject, AccessAudit.action: action, AccessAudit.target: target,
             AccessAudit.service: service, AccessAudit.status: status}  # fmt: skip
    query = _filtered(query, equal, AccessAudit.occurred_at, since, until)
    if path_prefix:
        query = query.where(AccessAudit.path.startswith(path_prefix, autoescape=True))
    query = _after(query, AccessAudit.id, cursor).order_by(AccessAudit.id.desc()).limit(limit + 1)
    rows = (await session.scalars(query)).all()
    return page_of(rows, limit, key=lambda r: [r.id], item=_access_out)


@audit_router.get("/actions", response_model=Page[AdminActionOut])
async def actions(
    session: DbSession,
    caller: Auditor,
    actor: Text = None,
    target_id: Text = None,
    action: AdminActionKind | None = None,
    since: Annotated[Instant | None, Query()] = None,
    until: Annotated[Instant | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> Page[AdminActionOut]:
    """Administrative acts on accounts inside your jurisdiction, newest first."""
    query = select(AdminAction).where(
        AdminAction.region_code.startswith(caller.principal.region_prefix, autoescape=True)
    )
    equal = {AdminAction.actor_subject: actor, AdminAction.target_id: target_id,
             AdminAction.action: action.value if action else None}  # fmt: skip
    query = _filtered(query, equal, AdminAction.occurred_at, since, until)
    query = _after(query, AdminAction.id, cursor).order_by(AdminAction.id.desc()).limit(limit + 1)
    rows = (await session.scalars(query)).all()
    return page_of(rows, limit, key=lambda r: [r.id], item=_action_out)


def _access_out(row: AccessAudit) -> AccessOut:
    return AccessOut(
        audit_id=row.id, occurred_at=row.occurred_at, request_id=row.request_id, subject=row.subject,
        principal_kind=row.principal_kind, principal_region=row.principal_region, method=row.method, path=row.path,
        status=row.status, service=row.service, source_ip=row.source_ip, duration_ms=row.duration_ms,
        action=row.action, target=row.target,
    )  # fmt: skip


def _action_out(row: AdminAction) -> AdminActionOut:
    return AdminActionOut(
        action_id=row.id, occurred_at=row.occurred_at, actor_subject=row.actor_subject, actor_name=row.actor_name,
        action=row.action, target_kind=row.target_kind, target_id=row.target_id, target_name=row.target_name,
        region_code=row.region_code, reason=row.reason, request_id=row.request_id,
    )  # fmt: skip
