"""What casework's endpoints, handlers and jobs need from the running process, built once from its `Runtime`."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import EventPayload
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime
from services.casework.config import CaseworkSettings

# Contexts of the sealed values casework keeps, so one kind can never be opened as another.
ID_NUMBER_CONTEXT = "casework/id-number"
DETAILS_CONTEXT = "casework/member-details"
CONTENT_CONTEXT = "casework/case-content"
SNAPSHOT_CONTEXT = "casework/household-version"
PROVINCE_CONTEXT = "casework/province-change"


@dataclass(frozen=True)
class Casework:
    vault: PiiVault
    outbox: Outbox
    source: str
    settings: CaseworkSettings
    # The one clock of casework's use cases: tests fix it to walk cases through publicity and review dates.
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.clock()

    async def publish(self, session: AsyncSession, payload: EventPayload, *, subject: str, key: str) -> None:
        """Write `payload` as an event of casework to the outbox, in the caller's transaction."""
        event = new_event(payload.event_type, source=self.source, subject=subject, data=payload)
        await self.outbox.add(session, event, key=key)

    def hash(self, id_number: str) -> str:
        return self.vault.keyed_hash(id_number)

    def seal(self, value: str, context: str) -> str:
        return self.vault.encrypt(value, context=context)

    def unseal(self, token: str, context: str) -> str:
        return self.vault.decrypt(token, context=context)

    def seal_json(self, value: Any, context: str) -> str:
        return self.vault.encrypt(json.dumps(value, ensure_ascii=False, default=str), context=context)

    def unseal_json(self, token: str, context: str) -> Any:
        return json.loads(self.vault.decrypt(token, context=context))

    @classmethod
    def of(cls, runtime: Runtime) -> Casework:
        settings = runtime.settings
        assert isinstance(settings, CaseworkSettings)
        return cls(
            vault=PiiVault(settings.pii_key.get_secret_value()),
            outbox=runtime.outbox,
            source=runtime.definition.name,
            settings=settings,
        )


def _casework(request: Request) -> Casework:
    ctx = getattr(request.app.state, "casework", None)
    if ctx is None:
        ctx = request.app.state.casework = Casework.of(request.app.state.runtime)
    assert isinstance(ctx, Casework)
    return ctx


CaseworkCtx = Annotated[Casework, Depends(_casework)]
