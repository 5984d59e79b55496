"""What disbursement's endpoints, handlers and jobs need from the running process, built once from its `Runtime`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from libs.contracts.clock import business_date
from libs.contracts.events.base import EventPayload
from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime
from services.disbursement.config import DisbursementSettings

ID_NUMBER_CONTEXT = "disbursement/payee-id-number"
EXPORT_CONTEXT = "disbursement/roster-export"
PAYEE_EXPORT_CONTEXT = "disbursement/payee-export"


@dataclass(frozen=True)
class Disbursement:
    vault: PiiVault
    outbox: Outbox
    source: str
    settings: DisbursementSettings
    sessions: async_sessionmaker[AsyncSession]
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """The business date in China, which decides months and due dates (DOMAIN.md §12)."""
        return business_date(self.now())

    def hash(self, value: str) -> str:
        return self.vault.keyed_hash(value)

    def seal_id_number(self, id_number: str) -> str:
        return self.vault.encrypt(id_number, context=ID_NUMBER_CONTEXT)

    def open_id_number(self, sealed: str) -> str:
        return self.vault.decrypt(sealed, context=ID_NUMBER_CONTEXT)

    def seal_account(self, account_no: str) -> str:
        return self.vault.encrypt(account_no, context=BANK_ACCOUNT_SEAL_CONTEXT)

    def open_account(self, sealed: str) -> str:
        return self.vault.decrypt(sealed, context=BANK_ACCOUNT_SEAL_CONTEXT)

    async def publish(self, session: AsyncSession, payload: EventPayload, *, subject: str, key: str) -> None:
        """Write `payload` as an event of disbursement to the outbox, in the caller's transaction."""
        event = new_event(payload.event_type, source=self.source, subject=subject, data=payload)
        await self.outbox.add(session, event, key=key)

    @classmethod
    def of(cls, runtime: Runtime) -> Disbursement:
        settings = runtime.settings
        assert isinstance(settings, DisbursementSettings)
        return cls(
            vault=PiiVault(settings.pii_key.get_secret_value()),
            outbox=runtime.outbox,
            source=runtime.definition.name,
            settings=settings,
            sessions=runtime.db.sessions,
        )


def _disbursement(request: Request) -> Disbursement:
    ctx = getattr(request.app.state, "disbursement", None)
    if ctx is None:
        ctx = request.app.state.disbursement = Disbursement.of(request.app.state.runtime)
    assert isinstance(ctx, Disbursement)
    return ctx


DisbursementCtx = Annotated[Disbursement, Depends(_disbursement)]
