"""What complaints' endpoints, handlers and jobs need from the running process, built once from its `Runtime`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.base import EventPayload
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime
from services.complaints.config import ComplaintsSettings

# Each kind of sealed value has its own context, so a token moved to another column does not open.
ID_NUMBER_CONTEXT = "complaints/id-number"
PHONE_CONTEXT = "complaints/phone"
WORK_ORDER_CONTEXT = "complaints/work-order"
RESULT_CONTEXT = "complaints/result-push"
PLATFORM_SIGNING_SEAL = "complaints/platform-secret"


@dataclass(frozen=True)
class Complaints:
    vault: PiiVault
    outbox: Outbox
    source: str
    settings: ComplaintsSettings
    # The one clock of complaints' use cases: tests set it to show deadlines across holidays and overdue lists.
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The business date in China, from which working-day deadlines count (DOMAIN.md §10, §12)."""
        return business_date(self.now())

    def hash(self, value: str) -> str:
        return self.vault.keyed_hash(value)

    def seal(self, value: str, context: str) -> str:
        return self.vault.encrypt(value, context=context)

    def open(self, token: str, context: str) -> str:
        return self.vault.decrypt(token, context=context)

    async def publish(self, session: AsyncSession, payload: EventPayload, *, subject: str, key: str) -> None:
        """Write `payload` as an event of complaints to the outbox, in the caller's transaction."""
        event = new_event(payload.event_type, source=self.source, subject=subject, data=payload)
        await self.outbox.add(session, event, key=key)

    @classmethod
    def of(cls, runtime: Runtime) -> Complaints:
        settings = runtime.settings
        assert isinstance(settings, ComplaintsSettings)
        return cls(
            vault=PiiVault(settings.pii_key.get_secret_value()),
            outbox=runtime.outbox,
            source=runtime.definition.name,
            settings=settings,
        )


def _complaints(request: Request) -> Complaints:
    ctx = getattr(request.app.state, "complaints", None)
    if ctx is None:
        ctx = request.app.state.complaints = Complaints.of(request.app.state.runtime)
    assert isinstance(ctx, Complaints)
    return ctx


ComplaintsCtx = Annotated[Complaints, Depends(_complaints)]
