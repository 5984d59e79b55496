"""The CloudEvents 1.0 envelope every Kafka message carries (structured mode, CONTRACTS.md §6)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import orjson
import structlog
from pydantic import BaseModel, ConfigDict, Field

from libs.kernel.ids import time_ordered_id
from libs.kernel.tracing import current_traceparent


class CloudEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    specversion: Literal["1.0"] = "1.0"
    id: str
    type: str
    source: str
    subject: str | None = None
    time: datetime
    datacontenttype: str = "application/json"
    dataschemaversion: int = 1
    correlationid: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json", exclude_none=True))

    @classmethod
    def from_bytes(cls, raw: bytes) -> CloudEvent:
        return cls.model_validate_json(raw)


def new_event(
    event_type: str,
    *,
    source: str,
    data: BaseModel | dict[str, Any],
    subject: str | None = None,
    correlation_id: str | None = None,
    schema_version: int = 1,
) -> CloudEvent:
    payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
    if correlation_id is None:
        # The request (or the event being handled) that caused this one, so X-Request-ID follows it downstream.
        bound = structlog.contextvars.get_contextvars().get("request_id")
        correlation_id = bound if isinstance(bound, str) else None
    # The trace this event continues (libs.kernel.tracing), as an optional CloudEvents extension; only when tracing.
    traceparent = current_traceparent()
    extensions = {"traceparent": traceparent} if traceparent else {}
    return CloudEvent(
        **extensions,
        # Time-ordered: the outbox's and every inbox's index of event ids is written at its right-hand edge.
        id=time_ordered_id(),
        type=event_type,
        source=source,
        subject=subject,
        time=datetime.now(UTC),
        dataschemaversion=schema_version,
        correlationid=correlation_id,
        data=payload,
    )
