"""The result push in tests (CONTRACTS.md §2): a fake 12345 platform answering over real HTTP from a script, the
push job's context built the way the worker builds it, and readers of the delivery log.

The fake listens on a path no other server had (a random token in it): a free port may be handed out again, and a
delivery of an earlier test whose platform URL named that port must not count as this test's request.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Literal

import orjson
import uvicorn
from starlette.types import Receive, Scope, Send

from libs.kernel.auth import Principal
from libs.kernel.outbox import Outbox
from libs.kernel.service import Runtime
from services.complaints.context import Complaints
from services.complaints.db import tables
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.complaints.push.delivery import ResultPush
from services.complaints.push.signing import DELIVERY_HEADER
from tests.complaints.support import ComplaintsApi, admin

PLATFORMS = "/api/v1/complaints/hotline-platforms"
DELIVERIES = "/api/v1/hotline/deliveries"
# A status to answer with, or: close the connection half-way through the answer ("drop"), or never answer ("hang",
# until the test ends: the pusher's timeout gives up first).
Answer = int | Literal["drop", "hang"]


@dataclass(frozen=True)
class Received:
    body: bytes
    headers: dict[str, str]  # lower-cased names
    answer: Answer

    @property
    def accepted(self) -> bool:
        return isinstance(self.answer, int) and 200 <= self.answer < 300

    @property
    def delivery_id(self) -> str:
        return self.headers[DELIVERY_HEADER.lower()]

    def json(self) -> dict[str, Any]:
        value = orjson.loads(self.body)
        assert isinstance(value, dict)
        return value


@dataclass
class FakePlatform:
    """The platform's callback: each request takes the next answer of `script`, then `default` once it is used up."""

    url: str = ""
    path: str = ""
    script: list[Answer] = field(default_factory=list)
    default: Answer = 200
    requests: list[Received] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        if scope["method"] != "POST" or scope["path"] != self.path:
            await _answer(send, 404)
            return
        answer = self.script.pop(0) if self.script else self.default
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        self.requests.append(Received(b"".join(chunks), headers, answer))
        if answer == "drop":
            # Promise 100 bytes, send one, return: uvicorn closes the connection with the answer unfinished.
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"100")]})
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
            return
        if answer == "hang":
            await self.release.wait()
            answer = 200
        await _answer(send, answer)

    def accepted(self) -> list[Received]:
        return [r for r in self.requests if r.accepted]

    def of(self, work_order_no: str) -> list[Received]:
        """Every request carrying this work order's result, in the order they arrived."""
        return [r for r in self.requests if r.json()["work_order_no"] == work_order_no]


async def _answer(send: Send, status: int) -> None:
    body = b'{"ok": true}' if status < 300 else b'{"error": "busy"}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _listening_socket() -> socket.socket:
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only when the listener names TCP, and without
    # it every answer (head and body written apart) waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@contextlib.asynccontextmanager
async def fake_platform(*script: Answer) -> AsyncIterator[FakePlatform]:
    """A real HTTP server on a free port for the test's duration, in the test's event loop."""
    fake = FakePlatform(path=f"/12345/{uuid.uuid4().hex}/results", script=list(script))
    # The socket listens before the server task runs, so the first request waits in the backlog, not on a sleep.
    sock = _listening_socket()
    fake.url = f"http://127.0.0.1:{sock.getsockname()[1]}{fake.path}"
    # log_config=None: uvicorn must not reconfigure the process's logging, which later tests rely on.
    server = uvicorn.Server(uvicorn.Config(fake, lifespan="off", log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield fake
    finally:
        fake.release.set()  # a hung answer ends, so the server can shut down
        server.should_exit = True
        await task
        sock.close()


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
