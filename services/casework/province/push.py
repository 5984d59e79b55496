"""The push to the provincial system (CONTRACTS.md §4): queued changes POSTed in batches, in order per household,
retried with a doubling back-off until accepted.

Delivery is at least once: a batch the province accepted is marked in the job's transaction, so if that commit
is lost the batch goes again. Items are whole household states, so a repeat leaves the province where it was.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import httpx
import structlog
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from libs.kernel.jobs import PeriodicJob
from services.casework.context import PROVINCE_CONTEXT, Casework
from services.casework.province.feed import queue_new_versions
from services.casework.province.models import ProvinceChange
from services.casework.registry.models import VERSIONS_RECORDED

# Counts, statuses and exception classes only: the items name people (DOMAIN.md §11).
_log = structlog.get_logger("casework.province")


async def due_changes(session: AsyncSession, now: dt.datetime, limit: int) -> list[ProvinceChange]:
    """Up to `limit` undelivered changes due by `now`, oldest first, leaving out every change of a household
    that has an earlier undelivered change still waiting for its retry time.

    Taken by id, so when a change is in the batch every earlier due change of its household is too: together
    with the exclusion, the province never receives a household's later state before an earlier one.
    """
    earlier = aliased(ProvinceChange)
    held_back = (
        exists()
        .where(
            earlier.household_id == ProvinceChange.household_id,
            earlier.id < ProvinceChange.id,
            earlier.delivered_at.is_(None),
            earlier.next_attempt_at > now,
        )
        .correlate(ProvinceChange)
    )
    stmt = (
        select(ProvinceChange)
        .where(ProvinceChange.delivered_at.is_(None), ProvinceChange.next_attempt_at <= now, ~held_back)
        .order_by(ProvinceChange.id)
        .limit(limit)
    )
    return list((await session.scalars(stmt)).all())


def retry_delay(ctx: Casework, attempts: int) -> dt.timedelta:
    """Doubling from the first figure after the first failure, up to the second."""
    s = ctx.settings
    # The exponent is capped: a province down for days runs past 1,024 attempts, where 2**n overflows a float.
    doubling = 2 ** min(max(attempts - 1, 0), 40)
    return dt.timedelta(seconds=min(s.province_retry_max_seconds, s.province_retry_min_seconds * doubling))


async def push_pending(session: AsyncSession, ctx: Casework, http: httpx.AsyncClient) -> int:
    """POST one batch of due changes to `{base}/recipients/changes`; returns how many the province accepted."""
    settings = ctx.settings
    batch = await due_changes(session, ctx.now(), settings.province_batch_size)
    if not batch:
        return 0
    request_id = str(uuid.uuid4())
    headers = {"X-Request-ID": request_id}
    token = settings.province_token.get_secret_value()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = {"items": [json.loads(ctx.open(c.item_sealed, PROVINCE_CONTEXT)) for c in batch]}
    url = f"{settings.province_base_url.rstrip('/')}/recipients/changes"
    try:
        response = await http.post(url, json=body, headers=headers)
        # The province's answer is not kept: an error page may echo the items back.
        error = None if response.is_success else f"HTTP {response.status_code}"
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        error = type(exc).__name__
    now = ctx.now()
    if error is None:
        for change in batch:
            change.delivered_at = now
        _log.info("province.pushed", count=len(batch), request_id=request_id)
        return len(batch)
    for change in batch:
        change.attempts += 1
        change.last_error = error
        change.next_attempt_at = now + retry_delay(ctx, change.attempts)
    _log.warning(
        "province.push_failed",
        count=len(batch),
        error=error,
        max_attempts=max(c.attempts for c in batch),
        request_id=request_id,
    )
    return 0


class ProvincePush:
    """The job's run: queue the registry's new versions, then push; the push idles while no base URL is configured
    (changes keep queueing meanwhile)."""

    def __init__(self, ctx: Casework) -> None:
        self.ctx = ctx
        # One client for the life of the worker, so connections to the province are reused between ticks.
        self.client: httpx.AsyncClient | None = None

    async def __call__(self, session: AsyncSession) -> None:
        await queue_new_versions(session, self.ctx)
        if not self.ctx.settings.province_base_url:
            return
        if self.client is None:
            self.client = httpx.AsyncClient(timeout=self.ctx.settings.province_timeout_seconds)
        await push_pending(session, self.ctx, self.client)

    async def aclose(self) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None


def push_job(ctx: Casework) -> PeriodicJob:
    """The worker's provincial push: woken by every household version the registry records, at most once every
    `province_interval_seconds`. With a province to push to it also looks that often, since a failed push comes due
    again on its own clock; without one, new versions are its only work, and it looks every `jobs_interval_seconds`
    only for a notification it missed."""
    s = ctx.settings
    spacing = dt.timedelta(seconds=s.province_interval_seconds)
    every = spacing if s.province_base_url else max(spacing, dt.timedelta(seconds=s.jobs_interval_seconds))
    return PeriodicJob("province-push", every, ProvincePush(ctx), woken_by=VERSIONS_RECORDED, spacing=spacing)
