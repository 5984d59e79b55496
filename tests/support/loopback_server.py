"""An ASGI app served over real HTTP on a free loopback port, in the test's own event loop: fake partner systems
(the province, a 12345 platform) and a service with settings of its own."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Literal

import uvicorn
from starlette.types import ASGIApp


def listening_socket() -> socket.socket:
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted sockets only when the listener names TCP, and without
    # it every answer (head and body written apart) waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


@contextlib.asynccontextmanager
async def serving(app: ASGIApp, *, lifespan: Literal["on", "off"] = "off") -> AsyncIterator[str]:
    """`app` listening for the block; yields its base URL (`http://127.0.0.1:<port>`)."""
    # The socket listens before the server task runs, so the first request waits in the backlog (until start-up is
    # done), not on a sleep.
    sock = listening_socket()
    # log_config=None: uvicorn must not reconfigure the process's logging, which later tests rely on.
    server = uvicorn.Server(uvicorn.Config(app, lifespan=lifespan, log_config=None, access_log=False))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()
