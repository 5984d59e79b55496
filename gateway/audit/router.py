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

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from gateway.audit import repository, views
from gateway.audit.access import AccessAudit
from gateway.audit.actions import AdminAction, AdminActionKind
from gateway.audit.schemas import AccessOut, AdminActionOut
from gateway.auth.dependencies import CurrentCaller
from gateway.auth.tokens import Caller
from libs.contracts.dates import Instant
from libs.contracts.staff import StaffRole
from libs.kernel.auth import PrincipalKind
from libs.kernel.db import DbSession
from libs.kernel.errors import PROBLEM, RoleRequired
from libs.kernel.pagination import Page, Paging

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


@audit_router.get("/access", response_model=Page[AccessOut], responses=_ERRORS)
async def access(
    session: DbSession,
    caller: Auditor,
    page: Paging,
    subject: Text = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    target: Text = None,
    path_prefix: Annotated[str | None, Query(max_length=512)] = None,
    service: Annotated[str | None, Query(max_length=32)] = None,
    status: Annotated[int | None, Query(ge=100, le=599)] = None,
    since: Annotated[Instant | None, Query()] = None,
    until: Annotated[Instant | None, Query()] = None,
) -> Page[AccessOut]:
    """Audited requests inside your jurisdiction, newest first."""
    equal = {AccessAudit.subject: subject, AccessAudit.action: action, AccessAudit.target: target,
             AccessAudit.service: service, AccessAudit.status: status}  # fmt: skip
    rows = await repository.access_rows(session, caller.principal.region_prefix, equal, path_prefix,
                                        since=since, until=until, cursor=page.cursor, limit=page.limit)  # fmt: skip
    return page.of(rows, key=lambda r: [r.id], item=views.access_out)


@audit_router.get("/actions", response_model=Page[AdminActionOut], responses=_ERRORS)
async def actions(
    session: DbSession,
    caller: Auditor,
    page: Paging,
    actor: Text = None,
    target_id: Text = None,
    action: AdminActionKind | None = None,
    since: Annotated[Instant | None, Query()] = None,
    until: Annotated[Instant | None, Query()] = None,
) -> Page[AdminActionOut]:
    """Administrative acts on accounts inside your jurisdiction, newest first."""
    equal = {AdminAction.actor_subject: actor, AdminAction.target_id: target_id,
             AdminAction.action: action.value if action else None}  # fmt: skip
    rows = await repository.action_rows(session, caller.principal.region_prefix, equal,
                                        since=since, until=until, cursor=page.cursor, limit=page.limit)  # fmt: skip
    return page.of(rows, key=lambda r: [r.id], item=views.action_out)
