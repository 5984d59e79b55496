"""What an administrator sends and reads about a hotline platform's callback, and the log of result pushes that the
platform and staff read (CONTRACTS.md §2)."""

from __future__ import annotations

import datetime as dt

from pydantic import AnyHttpUrl, BaseModel, Field, SecretStr, field_validator

from libs.contracts.models import Input
from libs.contracts.region import normalise_prefix
from services.complaints.register.rules import Status


class PlatformIn(Input):
    callback_url: AnyHttpUrl = Field(description="Where results are POSTed (https in production, no internal address)")
    client_secret: SecretStr = Field(
        min_length=16, max_length=200, description="The client's secret, shown once by the gateway; signs the pushes"
    )
    region_code: str | None = Field(
        default=None,
        description="The client's jurisdiction prefix (2 to 12 digits), as the gateway created it; kept if omitted",
    )

    @field_validator("region_code")
    @classmethod
    def _prefix(cls, value: str | None) -> str | None:
        if value is None:
            return None
        prefix = normalise_prefix(value)  # ValueError: a 422 naming the field
        if prefix == "":
            raise ValueError("a hotline client's region is a prefix of 2 to 12 digits")
        return prefix


class PlatformOut(BaseModel):
    client_id: str
    region_code: str | None = Field(description="The client's region; null if registered before it was known")
    callback_url: str
    updated_by: str
    updated_at: dt.datetime


class AttemptOut(BaseModel):
    at: dt.datetime
    http_status: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    delivery_id: str
    work_order_no: str
    complaint_id: str
    status: Status = Field(description="The work order status the pushed body reports")
    state: str = Field(description="pending | delivered")
    created_at: dt.datetime
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    delivered_at: dt.datetime | None
    attempt_log: list[AttemptOut]
