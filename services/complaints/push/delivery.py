"""The worker's result push (CONTRACTS.md §2): each queued result POSTed, signed, to its platform's callback URL,
retried with a doubling back-off until the platform answers 2xx.

The callback URL is checked again before every attempt (libs/kernel/outbound.py): its host must still resolve to
public addresses only, unless the operator allows private ones, so a name later pointed inside the deployment (DNS
rebinding) or a URL registered before the rule existed is refused then; the attempt is logged `callback_url_refused`
and retried with the usual back-off, and the result is kept, never dropped.

Delivery is at least once: a delivery the platform accepted is marked in the job's transaction, so only a crash
between the platform's 2xx and that commit sends it again, with the same `X-Jiuzhu-Delivery` id and the same bytes.
The rows live in PostgreSQL, so a restart of the worker (or of everything) resumes where it was.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from dataclasses import dataclass

import httpx
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.jobs import PeriodicJob
from libs.kernel.outbound import OutboundPolicy, RefusedUrl
from services.complaints.context import PLATFORM_SIGNING_SEAL, Complaints
from services.complaints.push.models import DeliveryAttempt, HotlinePlatform
from services.complaints.push.signing import DELIVERY_HEADER, SIGNATURE_HEADER, signature
from services.complaints.register.models import ResultDelivery
from services.complaints.register.results import open_body

# Counts, statuses and exception classes only: the bodies name people (DOMAIN.md §11).
_log = structlog.get_logger("complaints.push")
NO_CALLBACK = "no_callback_configured"
URL_REFUSED = "callback_url_refused"


@dataclass(frozen=True)
class Outcome:
    http_status: int | None
    error: str | None
    duration_ms: int


def retry_delay(ctx: Complaints, attempts: int) -> dt.timedelta:
    """Doubling from the first figure after the first failure, up to the second."""
    s = ctx.settings
    # The exponent is capped: a platform down for days runs past 1,024 attempts, where 2**n overflows a float.
    doubling = 2 ** min(max(attempts - 1, 0), 40)
    return dt.timedelta(seconds=min(s.push_retry_max_seconds, s.push_retry_min_seconds * doubling))


async def due_deliveries(session: AsyncSession, now: dt.datetime, limit: int) -> list[ResultDelivery]:
    stmt = (
        select(ResultDelivery)
        .where(ResultDelivery.delivered_at.is_(None), ResultDelivery.next_attempt_at <= now)
        .order_by(ResultDelivery.next_attempt_at, ResultDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list((await session.scalars(stmt)).all())


async def _post(
    ctx: Complaints,
    http: httpx.AsyncClient,
    policy: OutboundPolicy,
    platform: HotlinePlatform | None,
    delivery: ResultDelivery,
) -> Outcome:
    if platform is None:
        # Kept and retried: the result goes out once an administrator registers the platform's callback.
        return Outcome(None, NO_CALLBACK, 0)
    started = time.monotonic()
    try:
        # The resolver's own timeouts can be long; the attempt's limit holds for the look-up too.
        async with asyncio.timeout(ctx.settings.push_timeout_seconds):
            await policy.check_resolved(platform.callback_url)
    except RefusedUrl:
        # Kept and retried like any failure: the address may be public again, or an administrator registers another.
        return Outcome(None, URL_REFUSED, int((time.monotonic() - started) * 1000))
    except TimeoutError:
        return Outcome(None, "ResolveTimeout", int((time.monotonic() - started) * 1000))
    body = open_body(ctx, delivery)
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(ctx.open(platform.secret_sealed, PLATFORM_SIGNING_SEAL), body),
        DELIVERY_HEADER: delivery.id,
        "X-Request-ID": str(uuid.uuid4()),
    }
    try:
        response = await http.post(platform.callback_url, content=body, headers=headers)
        # The answer itself is not kept: an error page may echo the body back.
        error = None if response.is_success else f"HTTP {response.status_code}"
        status: int | None = response.status_code
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        error, status = type(exc).__name__, None
    return Outcome(status, error, int((time.monotonic() - started) * 1000))


async def push_due(session: AsyncSession, ctx: Complaints, http: httpx.AsyncClient) -> int:
    """Attempt every due delivery (up to the batch size, a few at once); returns how many the platforms accepted."""
    settings = ctx.settings
    batch = await due_deliveries(session, ctx.now(), settings.push_batch_size)
    if not batch:
        return 0
    clients = {d.client_id for d in batch}
    platforms = {
        p.client_id: p
        for p in (await session.scalars(select(HotlinePlatform).where(HotlinePlatform.client_id.in_(clients)))).all()
    }
    gate = asyncio.Semaphore(settings.push_concurrency)
    policy = settings.outbound_policy()

    async def attempt(delivery: ResultDelivery) -> Outcome:
        async with gate:
            return await _post(ctx, http, policy, platforms.get(delivery.client_id), delivery)

    outcomes = await asyncio.gather(*(attempt(d) for d in batch))
    now = ctx.now()
    delivered = 0
    for delivery, outcome in zip(batch, outcomes, strict=True):
        delivery.attempts += 1
        session.add(
            DeliveryAttempt(
                delivery_id=delivery.id,
                at=now,
                http_status=outcome.http_status,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
            )
        )
        if outcome.error is None:
            delivery.delivered_at = now
            delivery.last_error = None
            delivered += 1
        else:
            delivery.last_error = outcome.error
            delivery.next_attempt_at = now + retry_delay(ctx, delivery.attempts)
    failed = len(batch) - delivered
    if failed:
        refused = sum(1 for o in outcomes if o.error == URL_REFUSED)
        _log.warning("hotline.push_failed", delivered=delivered, failed=failed, refused=refused)
    else:
        _log.info("hotline.pushed", delivered=delivered)
    return delivered


class ResultPush:
    """The job's run; one HTTP client for the life of the worker, so connections to a platform are reused."""

    def __init__(self, ctx: Complaints) -> None:
        self.ctx = ctx
        self.client: httpx.AsyncClient | None = None

    async def __call__(self, session: AsyncSession) -> None:
        if self.client is None:
            self.client = httpx.AsyncClient(timeout=self.ctx.settings.push_timeout_seconds)
        await push_due(session, self.ctx, self.client)

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None


def push_job(ctx: Complaints) -> PeriodicJob:
    every = dt.timedelta(seconds=ctx.settings.push_interval_seconds)
    return PeriodicJob(name="result-push", every=every, run=ResultPush(ctx))
