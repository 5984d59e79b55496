"""What intake's endpoints and handlers need from the running process, built once from its `Runtime`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import EventPayload
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime


@dataclass(frozen=True)
class Intake:
    vault: PiiVault
    outbox: Outbox
    source: str
    # The one clock of intake's use cases: tests fix it to show deadlines across holidays.
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.clock()

    async def publish(self, session: AsyncSession, payload: EventPayload, *, subject: str, key: str) -> None:
        """Write `payload` as an event of intake to the outbox, in the caller's transaction."""
        event = new_event(payload.event_type, source=self.source, subject=subject, data=payload)
        await self.outbox.add(session, event, key=key)

    @classmethod
    def of(cls, runtime: Runtime) -> Intake:
        return cls(
            vault=PiiVault(runtime.settings.pii_key.get_secret_value()),
            outbox=runtime.outbox,
            source=runtime.definition.name,
        )


def _intake(request: Request) -> Intake:
    intake = getattr(request.app.state, "intake", None)
    if intake is None:
        intake = request.app.state.intake = Intake.of(request.app.state.runtime)
    assert isinstance(intake, Intake)
    return intake


IntakeCtx = Annotated[Intake, Depends(_intake)]
