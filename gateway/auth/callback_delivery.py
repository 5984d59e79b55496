"""A new hotline client's callback and signing secret, handed to complaints reliably (issue 18; CONTRACTS.md §2).

Why an outbox of the gateway's own rather than a call inside its transaction: the secret is known only at creation
(the gateway keeps its argon2 hash), so it must reach complaints even when complaints is down at that moment, and the
client must not exist in one system only. The kernel's outbox publishes events to the broker, which the gateway does
not use, and an event carrying a secret would sit in a topic; so the gateway keeps one small table instead:

- the client and a `callback_deliveries` row (the secret sealed with the gateway's key, the administrator who created
  the client, whose jurisdiction complaints checks) are written in one transaction: both or neither;
- after that commit the request tries the delivery once at once, so a running complaints has the callback before the
  administrator sees the 201, as before;
- whatever is still pending (complaints down, slow, answering 5xx) is retried by a loop in every gateway process,
  with doubling back-off; rows are taken `FOR UPDATE SKIP LOCKED`, so replicas never send one row twice at once.

Complaints' `PUT /hotline-platforms/{client_id}` is idempotent (the same body leaves the same platform), so a delivery
repeated after a lost answer changes nothing; a delivered row is never sent again. A row a later callback change
supersedes is dropped in that change's transaction, so an old URL can never arrive after the new one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import httpx
import orjson
import structlog
from sqlalchemy import Index, Integer, String, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from gateway.upstream_transport import UPSTREAM_ERRORS
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal
from libs.kernel.context import seal_context
from libs.kernel.db import Database
from libs.kernel.listening import repeat
from libs.kernel.pii import PiiVault

CALLBACK_REFUSED = "callback_url_refused"
SECRET_SEAL = seal_context("gateway", "hotline-secret")
_log = structlog.get_logger("gateway.callbacks")


class CallbackDelivery(Base):
    """One callback waiting to reach complaints; deleted once complaints has it."""

    __tablename__ = "callback_deliveries"
    __table_args__ = (Index("ix_callback_deliveries_next_attempt_at", "next_attempt_at"),)

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    callback_url: Mapped[str] = mapped_column(String(2048))
    region_code: Mapped[str] = mapped_column(String(12))
    secret_sealed: Mapped[str]  # PiiVault, context SECRET_SEAL: never the secret itself
    # The administrator who created the client, as claims: complaints checks their jurisdiction, as before.
    actor: Mapped[dict[str, Any]]
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(server_default=func.now())
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Answer(StrEnum):
    delivered = "delivered"
    refused = "refused"  # complaints' outbound policy refuses the URL: retrying the same URL cannot help
    failed = "failed"  # unreachable, slow or broken: kept and retried
    absent = "absent"  # nothing pending (delivered already, or another process holds the row)


async def add_delivery(
    session: AsyncSession, vault: PiiVault, actor: Principal, *, client_id: str, url: str, region: str, secret: str
) -> None:
    """Written in the transaction that creates the client."""
    session.add(
        CallbackDelivery(
            client_id=client_id,
            callback_url=url,
            region_code=region,
            secret_sealed=vault.encrypt(secret, context=SECRET_SEAL),
            actor=actor.to_claims(),
        )
    )


async def drop_pending(session: AsyncSession, client_id: str) -> None:
    """A newer callback was registered (or the client withdrawn): the pending one must never arrive after it."""
    await session.execute(delete(CallbackDelivery).where(CallbackDelivery.client_id == client_id))


async def put_platform(
    http: httpx.AsyncClient, complaints_url: str, token: str, client_id: str, body: dict[str, Any]
) -> tuple[Answer, str]:
    """Complaints' idempotent registration; the answer and, for a failure, a short reason (no body: it may echo).
    An unreachable or silent complaints raises (gateway.proxy.UPSTREAM_ERRORS)."""
    url = f"{complaints_url}/api/v1/complaints/hotline-platforms/{client_id}"
    reply = await http.put(url, json=body, headers={INTERNAL_HEADER: token})
    if reply.status_code == 200:
        return Answer.delivered, ""
    if reply.status_code == 422 and _code(reply.content) == CALLBACK_REFUSED:
        return Answer.refused, CALLBACK_REFUSED
    return Answer.failed, f"HTTP {reply.status_code}"


def _code(content: bytes) -> str | None:
    try:
        problem = orjson.loads(content)
    except orjson.JSONDecodeError:
        return None
    code = problem.get("code") if isinstance(problem, dict) else None
    return code if isinstance(code, str) else None


@dataclass
class CallbackDeliveries:
    """Sends pending callbacks: once at once for the creating request (`deliver`), then from the loop (`run`)."""

    db: Database
    http: httpx.AsyncClient
    complaints_url: str
    signer: InternalTokens
    vault: PiiVault
    retry_min_seconds: float
    retry_max_seconds: float
    poll_seconds: float
    batch_size: int = 50

    async def deliver(self, client_id: str) -> Answer:
        """The creating request's own attempt, right after its commit. Should the loop hold the row at that moment,
        this waits for its attempt (bounded by the upstream timeout): `absent` then means complaints has it."""
        async with self.db.sessions.begin() as session:
            row = await session.scalar(
                select(CallbackDelivery).where(CallbackDelivery.client_id == client_id).with_for_update()
            )
            return Answer.absent if row is None else await self._attempt(session, row)

    async def deliver_due(self) -> int:
        """One pass of the loop: every due row, oldest first; how many complaints took."""
        async with self.db.sessions.begin() as session:
            rows = (
                await session.scalars(
                    select(CallbackDelivery)
                    .where(CallbackDelivery.next_attempt_at <= func.now())
                    .order_by(CallbackDelivery.next_attempt_at)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            answers = [await self._attempt(session, row) for row in rows]
        return answers.count(Answer.delivered)

    async def _attempt(self, session: AsyncSession, row: CallbackDelivery) -> Answer:
        body = {
            "callback_url": row.callback_url,
            "client_secret": self.vault.decrypt(row.secret_sealed, context=SECRET_SEAL),
            "region_code": row.region_code,
        }
        token = self.signer.sign(Principal.from_claims(row.actor))
        try:
            answer, reason = await put_platform(self.http, self.complaints_url, token, row.client_id, body)
        except UPSTREAM_ERRORS as exc:
            answer, reason = Answer.failed, type(exc.__cause__ or exc).__name__
        if answer is Answer.delivered:
            await session.delete(row)
            _log.info("hotline.callback_delivered", client_id=row.client_id, attempts=row.attempts + 1)
            return answer
        row.attempts += 1
        row.last_error = reason
        row.next_attempt_at = datetime.now(UTC) + self.retry_delay(row.attempts)
        _log.warning("hotline.callback_pending", client_id=row.client_id, attempts=row.attempts, error=reason)
        return answer

    def retry_delay(self, attempts: int) -> timedelta:
        """Doubling from the first figure, up to the second (the exponent capped: days of failures stay finite)."""
        doubling = 2 ** min(max(attempts - 1, 0), 30)
        return timedelta(seconds=min(self.retry_max_seconds, self.retry_min_seconds * doubling))

    async def run(self, stop: asyncio.Event) -> None:
        await repeat(self.deliver_due, stop, self.poll_seconds, log=_log, failed="hotline.callback_loop_failed")
