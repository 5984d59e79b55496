"""The audit's rows as the API shows them."""

from __future__ import annotations

from gateway.audit.access import AccessAudit
from gateway.audit.actions import AdminAction
from gateway.audit.schemas import AccessOut, AdminActionOut


def access_out(row: AccessAudit) -> AccessOut:
    return AccessOut(
        audit_id=row.id, occurred_at=row.occurred_at, request_id=row.request_id, subject=row.subject,
        principal_kind=row.principal_kind, principal_region=row.principal_region, method=row.method, path=row.path,
        status=row.status, service=row.service, source_ip=row.source_ip, duration_ms=row.duration_ms,
        action=row.action, target=row.target,
    )  # fmt: skip


def action_out(row: AdminAction) -> AdminActionOut:
    return AdminActionOut(
        action_id=row.id, occurred_at=row.occurred_at, actor_subject=row.actor_subject, actor_name=row.actor_name,
        action=row.action, target_kind=row.target_kind, target_id=row.target_id, target_name=row.target_name,
        region_code=row.region_code, reason=row.reason, request_id=row.request_id,
    )  # fmt: skip
