"""A fake 12345 platform (CONTRACTS.md §2) answering complaints' result pushes over real HTTP from a script.

The fake listens on a path no other server had (a random token in it): a free port may be handed out again, and a
delivery of an earlier test whose platform URL named that port must not count as this test's request.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson
from starlette.types import Receive, Scope, Send

from services.complaints.push.signing import DELIVERY_HEADER
from tests.support.loopback_server import serving

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


@contextlib.asynccontextmanager
async def fake_platform(*script: Answer) -> AsyncIterator[FakePlatform]:
    """A real HTTP server on a free port for the test's duration, in the test's event loop."""
    fake = FakePlatform(path=f"/12345/{uuid.uuid4().hex}/results", script=list(script))
    async with serving(fake) as base_url:
        fake.url = f"{base_url}{fake.path}"
        try:
            yield fake
        finally:
            fake.release.set()  # a hung answer ends, so the server can shut down
