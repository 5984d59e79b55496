"""What every service's endpoints, handlers and jobs need from the running process: one `ServiceContext`.

Each service extends it with its own settings and helpers (`services/<name>/context.py`); the composition root
(`libs.kernel.service`) builds it once per process, and the API, the consumers and the jobs all receive that one
object. Personal data is sealed and opened with one pair of verbs, `seal` and `open`, under a context named by
`seal_context`, so a value sealed as one kind can never be opened as another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar, overload

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from libs.contracts.clock import business_date
from libs.contracts.events.base import EventPayload
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.settings import ServiceSettings
from libs.kernel.training_clock import TrainingClock

if TYPE_CHECKING:
    from libs.kernel.service import Runtime


def seal_context(owner: str, kind: str) -> str:
    """The one spelling of a seal context: `<owner>/<kind>`, e.g. `casework/id-number`."""
    return f"{owner}/{kind}"


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class ServiceContext:
    # The settings class of the service; a process built with another one is a wiring mistake.
    settings_type: ClassVar[type[ServiceSettings]] = ServiceSettings

    vault: PiiVault
    outbox: Outbox
    source: str
    settings: ServiceSettings
    sessions: async_sessionmaker[AsyncSession]
    # The one clock of a service's use cases: tests fix it to walk through deadlines, publicity and review dates.
    clock: Callable[[], datetime] = field(default=_utc_now)
    # The training clock's offset (libs.kernel.training_clock), the process's one holder, read on every `now()`:
    # outside production an administrator moves the whole system's business date forward; in production it is zero.
    training: TrainingClock = field(default_factory=TrainingClock.off)

    def now(self) -> datetime:
        return self.clock() + self.training.offset

    def today(self) -> date:
        """The business date in China, which decides months and due dates (DOMAIN.md §12)."""
        return business_date(self.now())

    def hash(self, value: str) -> str:
        """The keyed hash that finds a person by identity number without storing it in clear."""
        return self.vault.keyed_hash(value)

    @overload
    def seal(self, value: str, context: str) -> str: ...
    @overload
    def seal(self, value: bytes, context: str) -> bytes: ...
    def seal(self, value: str | bytes, context: str) -> str | bytes:
        # Bytes (a request body kept as received) are sealed without text armour, for a binary column.
        if isinstance(value, bytes):
            return self.vault.seal_bytes(value, context=context)
        return self.vault.encrypt(value, context=context)

    @overload
    def open(self, token: str, context: str) -> str: ...
    @overload
    def open(self, token: bytes, context: str) -> bytes: ...
    def open(self, token: str | bytes, context: str) -> str | bytes:
        if isinstance(token, bytes):
            return self.vault.open_bytes(token, context=context)
        return self.vault.decrypt(token, context=context)

    async def publish(self, session: AsyncSession, payload: EventPayload, *, subject: str, key: str) -> None:
        """Write `payload` as an event of this service to the outbox, in the caller's transaction."""
        event = new_event(payload.event_type, source=self.source, subject=subject, data=payload)
        await self.outbox.add(session, event, key=key)

    @classmethod
    def of(cls, runtime: Runtime, **extra: Any) -> Self:
        """Build the context of a running process; a subclass passes what it adds in `extra`."""
        settings = runtime.settings
        if not isinstance(settings, cls.settings_type):
            raise TypeError(f"{cls.__name__} needs {cls.settings_type.__name__}, got {type(settings).__name__}")
        return cls(
            vault=PiiVault(settings.pii_key.get_secret_value()),
            outbox=runtime.outbox,
            source=runtime.definition.name,
            settings=settings,
            sessions=runtime.db.sessions,
            training=runtime.training_clock,
            **extra,
        )


C = TypeVar("C", bound=ServiceContext)


def context_of(cls: type[C]) -> Callable[[Request], Awaitable[C]]:
    """The FastAPI dependency that hands an endpoint the process's one context (`app.state.runtime.context`):
    `CaseworkCtx = Annotated[Casework, Depends(context_of(Casework))]`."""

    # A coroutine although it never waits: FastAPI runs a plain function dependency in a worker thread, and that
    # hand-off (once per request) cost more than the whole lookup.
    async def current(request: Request) -> C:
        runtime: Runtime = request.app.state.runtime
        return runtime.context_as(cls)

    return current
