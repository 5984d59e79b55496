"""What matching's endpoints, handlers and jobs need from the running process, built once from its `Runtime`."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from libs.contracts.events.base import EventPayload, PersonRef
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime
from services.matching.config import MatchingSettings
from services.matching.persons import PersonKeys

IDENTITY_CONTEXT = "matching/identity"


@dataclass(frozen=True)
class Matching:
    vault: PiiVault
    outbox: Outbox
    source: str
    settings: MatchingSettings
    # Separate short transactions (feed progress, a run's status) beside a long one.
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    keys: PersonKeys = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", PersonKeys(self.vault))

    def now(self) -> datetime:
        return self.clock()

    def key(self, id_number: str) -> uuid.UUID:
        return self.keys.of(id_number)

    async def publish(self, session: AsyncSession, payload: EventPayload, *, subject: str, key: str) -> None:
        """Write `payload` as an event of matching to the outbox, in the caller's transaction."""
        event = new_event(payload.event_type, source=self.source, subject=subject, data=payload)
        await self.outbox.add(session, event, key=key)

    def seal_identity(self, person: PersonRef) -> str:
        plain = json.dumps({"id_number": person.id_number, "name": person.name}, ensure_ascii=False)
        return self.vault.encrypt(plain, context=IDENTITY_CONTEXT)

    def open_identity(self, sealed: str) -> PersonRef:
        return PersonRef.model_validate_json(self.vault.decrypt(sealed, context=IDENTITY_CONTEXT))

    @classmethod
    def of(cls, runtime: Runtime) -> Matching:
        settings = runtime.settings
        assert isinstance(settings, MatchingSettings)
        return cls(
            vault=PiiVault(settings.pii_key.get_secret_value()),
            outbox=runtime.outbox,
            source=runtime.definition.name,
            settings=settings,
            sessions=runtime.db.sessions,
        )


def _matching(request: Request) -> Matching:
    ctx = getattr(request.app.state, "matching", None)
    if ctx is None:
        ctx = request.app.state.matching = Matching.of(request.app.state.runtime)
    assert isinstance(ctx, Matching)
    return ctx


MatchingCtx = Annotated[Matching, Depends(_matching)]
