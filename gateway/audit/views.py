"""The audit's rows as the API shows them."""

from __future__ import annotations

from gateway.audit.access import AccessAudit
from gateway.audit.actions import AdminAction
from gateway.audit.schemas import AccessOut, AdminActionOut


def access_out(row: AccessAudit) -> AccessOut:
    return AccessOut.model_validate(row, from_attributes=True)


def action_out(row: AdminAction) -> AdminActionOut:
    return AdminActionOut.model_validate(row, from_attributes=True)
