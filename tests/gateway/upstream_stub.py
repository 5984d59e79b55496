"""A tiny HTTP/1.1 server on a real socket, for what a real service will not do on demand: hang, or show exactly
which headers and bytes reached it.

`hang`: reads each request, then never answers (until closed). `echo`: answers 200 with JSON describing the request
(headers, body length and digest), plus hop-by-hop and repeated headers the gateway must strip or keep.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from typing import Literal

import h11


@dataclass
class Received:
    method: str
    target: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    def header(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name.lower()]


@dataclass
class StubUpstream:
    mode: Literal["hang", "echo"]
    received: list[Received] = field(default_factory=list)
    # Added to every `echo` answer (e.g. a service's X-Jiuzhu-Audit note for the access audit).
    extra_headers: list[tuple[str, str]] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _release: asyncio.Event = field(default_factory=asyncio.Event)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        self._release.set()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        conn = h11.Connection(h11.SERVER)
        current: Received | None = None
        try:
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    conn.receive_data(await reader.read(65536))
                elif isinstance(event, h11.Request):
                    headers = [(k.decode().lower(), v.decode()) for k, v in event.headers]
                    current = Received(event.method.decode(), event.target.decode(), headers)
                elif isinstance(event, h11.Data) and current is not None:
                    current.body += event.data
                elif isinstance(event, h11.EndOfMessage) and current is not None:
                    self.received.append(current)
                    if self.mode == "hang":
                        await self._release.wait()
                        return
                    writer.write(self._echo(conn, current, self.extra_headers))
                    await writer.drain()
                    conn.start_next_cycle()
                    current = None
                elif isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
                    return
        except (h11.RemoteProtocolError, ConnectionError):
            return
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(ConnectionError):
                writer.close()

    @staticmethod
    def _echo(conn: h11.Connection, request: Received, extra: list[tuple[str, str]]) -> bytes:
        payload = json.dumps(
            {"method": request.method, "target": request.target, "headers": request.headers,
             "body_length": len(request.body), "body_sha256": hashlib.sha256(request.body).hexdigest()}
        ).encode()  # fmt: skip
        headers = [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(payload))),
            ("Connection", "keep-alive, X-Stub-Hop"),
            ("X-Stub-Hop", "must-not-pass"),
            ("Keep-Alive", "timeout=5"),
            ("Proxy-Authenticate", "Basic"),
            ("Link", "<https://a.example>; rel=a"),
            ("Link", "<https://b.example>; rel=b"),
            *extra,
        ]
        return b"".join(
            part or b""
            for part in (
                conn.send(h11.Response(status_code=200, headers=headers)),
                conn.send(h11.Data(data=payload)),
                conn.send(h11.EndOfMessage()),
            )
        )
