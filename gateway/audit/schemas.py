"""API models of the audit queries (no ORM imports)."""

from __future__ import annotations

from datetime import datetime

from pydantic import AliasChoices, BaseModel, Field


class AdminActionOut(BaseModel):
    # The presenter reads the row's `id` (`model_validate(row, from_attributes=True)`).
    action_id: int = Field(validation_alias=AliasChoices("action_id", "id"))
    occurred_at: datetime
    actor_subject: str
    actor_name: str
    action: str
    target_kind: str
    target_id: str
    target_name: str
    region_code: str
    reason: str | None
    request_id: str | None


class AccessOut(BaseModel):
    """One audited request: who, what, when, with what outcome (never a body or a query string)."""

    # The presenter reads the row's `id` (`model_validate(row, from_attributes=True)`).
    audit_id: int = Field(validation_alias=AliasChoices("audit_id", "id"))
    occurred_at: datetime
    request_id: str
    subject: str | None
    principal_kind: str | None
    principal_region: str | None
    method: str = Field(description="The HTTP method")
    path: str = Field(description="The path requested, without its query string")
    status: int = Field(description="The HTTP status the caller received")
    service: str | None = Field(description="The service the request was routed to; null when none")
    source_ip: str | None = Field(description="The address the request came from (through trusted proxies only)")
    duration_ms: float = Field(description="How long the gateway took to answer, in milliseconds")
    action: str | None = Field(description="What the service said the request did, e.g. bank_account.revealed")
    target: str | None = Field(description="The record it did it to, e.g. household/<id>")
