"""What a service under test is handed: principals as the gateway forwards them, a settable clock, and broker
records as a consumer receives them."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from aiokafka.structs import ConsumerRecord

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import Principal, PrincipalKind
from libs.kernel.events import CloudEvent


def staff(role: StaffRole, region: str, *, subject: str | None = None, name: str | None = None) -> Principal:
    """A staff principal as the gateway forwards it; `name` is the person's real name (display_name)."""
    return Principal(
        subject or f"u-{uuid.uuid4().hex[:8]}",
        PrincipalKind.staff,
        f"{role.value}.{region}",
        region,
        frozenset({role.value}),
        display_name=name or f"{role.value} {region}",
    )


def client(scope: Scope, region: str = "14") -> Principal:
    return Principal(
        f"c-{uuid.uuid4().hex[:8]}",
        PrincipalKind.client,
        f"{scope.value} client",
        region,
        frozenset(),
        frozenset({scope.value}),
    )


@dataclass
class Clock:
    """The service's clock, set by the test (deadlines across holidays, publicity periods, review dates)."""

    at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at or datetime.now(UTC)

    def set_day(self, day: date, hour: int = 10) -> None:
        self.at = datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ)


def record(event: CloudEvent, offset: int) -> ConsumerRecord[bytes, bytes]:
    """`event` as the broker delivers it at `offset` (a redelivery is the same event at a later offset)."""
    value = event.to_bytes()
    return ConsumerRecord(
        topic=event.type,
        partition=0,
        offset=offset,
        timestamp=int(time.time() * 1000),
        timestamp_type=0,
        key=(event.subject or "").encode(),
        value=value,
        checksum=None,
        serialized_key_size=len(event.subject or ""),
        serialized_value_size=len(value),
        headers=[],
    )
