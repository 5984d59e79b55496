"""The result push in complaints' tests (CONTRACTS.md §2): the push job's context built the way the worker builds it,
the platforms' registration, and readers of the delivery log (the fake platform is `tests.support.hotline_platform`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from libs.kernel.auth import Principal
from libs.kernel.outbox import Outbox
from libs.kernel.service import Runtime
from services.complaints.context import Complaints
from services.complaints.db import tables
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.complaints.push.delivery import ResultPush
from tests.complaints.support import ComplaintsApi, admin

PLATFORMS = "/api/v1/complaints/hotline-platforms"
DELIVERIES = "/api/v1/hotline/deliveries"


def pusher(api: ComplaintsApi, **settings: Any) -> Complaints:
    """Complaints' context as a (re)started worker builds it, on the test's clock: a runtime of its own, with the
    push settings given. Large batches: other tests' pending deliveries are due in the same runs."""
    overridden = COMPLAINTS.settings().with_overrides(role="worker", **({"push_batch_size": 1000} | settings))
    runtime = Runtime(COMPLAINTS, overridden, api.db, Outbox(tables.outbox, overridden))
    ctx = runtime.context
    assert isinstance(ctx, Complaints)
    return replace(ctx, clock=api.clock)


async def run(api: ComplaintsApi, job: ResultPush) -> None:
    """One run of the push job, in its own transaction, as the worker's scheduler runs it."""
    async with api.db.sessions.begin() as session:
        await job(session)


async def register(api: ComplaintsApi, client: Principal, url: str, secret: str) -> dict[str, Any]:
    reply = await api.put(f"{PLATFORMS}/{client.subject}", admin(), {"callback_url": url, "client_secret": secret})
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def platforms(api: ComplaintsApi) -> dict[str, dict[str, Any]]:
    reply = await api.get(PLATFORMS, admin())
    assert reply.status_code == 200, reply.text
    return {p["client_id"]: p for p in reply.json()}


async def deliveries(api: ComplaintsApi, client: Principal, work_order_no: str) -> list[dict[str, Any]]:
    reply = await api.get(DELIVERIES, client, {"work_order_no": work_order_no})
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def delivery(api: ComplaintsApi, client: Principal, work_order_no: str) -> dict[str, Any]:
    """The one delivery of a work order closed once."""
    [only] = await deliveries(api, client, work_order_no)
    return only


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)
