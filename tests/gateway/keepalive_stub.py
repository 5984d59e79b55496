"""An HTTP/1.1 upstream on a real socket that drops reused connections the way a real service sometimes does.

A service closes a keep-alive connection that has been idle for its keep-alive time; a request that arrives on it at
that moment is never read (the client sees the connection reset, no answer). A real server makes that a race of a
millisecond; this one makes it certain:

- `keepalive`: after each answer a timer of `keepalive_seconds` starts; once it has run out the connection counts as
  closed by the server, and the next request on it is reset instead of answered. `expired` is set when a timer runs
  out (the service's clock, whether or not the client kept the connection).
- `reset_reused`: the first request on a connection is answered, any later one on it is reset (a service that
  restarted behind every pooled connection).
- `reset_all`: like `reset_reused`, but once `answered_first` requests were answered every request is reset.

`hold_first`: the first that many requests are answered together once all have arrived, so a client opens (and then
pools) that many connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from dataclasses import dataclass, field
from typing import Literal

import h11

Mode = Literal["keepalive", "reset_reused", "reset_all"]


@dataclass
class DroppingUpstream:
    mode: Mode
    keepalive_seconds: float = 1.0
    hold_first: int = 1
    answered_first: int = 1
    received: list[tuple[str, str]] = field(default_factory=list)  # (method, target) of every request seen
    answered: int = 0
    reset: int = 0
    connections: int = 0
    expired: asyncio.Event = field(default_factory=asyncio.Event)
    _held: list[asyncio.Future[None]] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> str:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def close(self) -> None:
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def seen(self, method: str) -> int:
        return sum(1 for m, _ in self.received if m == method)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        self.connections += 1
        conn = h11.Connection(h11.SERVER)
        on_this_connection = 0
        idle_since_expired = False
        timer: asyncio.TimerHandle | None = None
        loop = asyncio.get_running_loop()

        def expire() -> None:
            nonlocal idle_since_expired
            idle_since_expired = True
            self.expired.set()

        try:
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    data = await reader.read(65536)
                    conn.receive_data(data)
                    if not data:
                        return
                elif isinstance(event, h11.Request):
                    self.received.append((event.method.decode(), event.target.decode()))
                    on_this_connection += 1
                    if timer is not None:
                        timer.cancel()
                    if self._drops(on_this_connection, idle_since_expired):
                        self.reset += 1
                        _reset(writer)
                        return
                elif isinstance(event, h11.EndOfMessage):
                    await self._hold()
                    writer.write(_answer(conn))
                    await writer.drain()
                    self.answered += 1
                    conn.start_next_cycle()
                    if self.mode == "keepalive":
                        timer = loop.call_later(self.keepalive_seconds, expire)
                elif isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
                    return
        except (h11.RemoteProtocolError, ConnectionError):
            return
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(ConnectionError, RuntimeError):
                writer.close()

    def _drops(self, on_this_connection: int, idle_since_expired: bool) -> bool:
        if self.mode == "keepalive":
            return idle_since_expired
        if self.mode == "reset_all" and self.answered >= self.answered_first:
            return True
        return on_this_connection > 1

    async def _hold(self) -> None:
        if len(self._held) >= self.hold_first and all(f.done() for f in self._held):
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._held.append(waiter)
        if len(self._held) == self.hold_first:
            for held in self._held:
                if not held.done():
                    held.set_result(None)
        await asyncio.wait_for(waiter, 10)


def _answer(conn: h11.Connection) -> bytes:
    body = json.dumps({"ok": True}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    parts = (
        conn.send(h11.Response(status_code=200, headers=headers)),
        conn.send(h11.Data(data=body)),
        conn.send(h11.EndOfMessage()),
    )
    return b"".join(part or b"" for part in parts)


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with an RST, as a kernel does for data arriving on a socket its server has closed."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.close()
