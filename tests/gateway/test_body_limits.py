"""Bodies are bounded before anything reads them (issue 17, high: a 400 MB POST without a token took the gateway
from 152 to 917 MB, because the NUL guard read every JSON body whole before authentication)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from libs.devstack.processes import wait_for_http
from libs.devstack.stack import DevStack
from tests.gateway.harness import ServiceProcess as Upstream
from tests.gateway.harness import service_environment
from tests.support.service_process import ServiceProcess

HUGE = 400 * 1024 * 1024
CHUNK = b"[" * (1024 * 1024)


@pytest.fixture(scope="module")
def gateway_process(
    stack: DevStack, intake: Upstream, gateway_schema: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[int]:
    upstreams = ("intake", "casework", "matching", "complaints", "disbursement")
    env = {**service_environment(stack), **{f"GATEWAY_{name.upper()}_URL": intake.url for name in upstreams}}
    process = ServiceProcess("gateway", "api", env, Path(tmp_path_factory.mktemp("gw-limits")) / "gateway.log")
    process.start()
    assert process.proc is not None
    try:
        wait_for_http(f"{process.url}/healthz", watch={"gateway": (process.proc, process.log_path)}, timeout=60)
        yield process.port
    finally:
        process.stop()


async def _post(port: int, headers: list[str], body_chunks: int) -> tuple[bytes, int]:
    """POST raw bytes (as an attacker would, no token); the answer's status line and how many body bytes went out
    before the gateway stopped reading."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = "\r\n".join(["POST /api/v1/intake/applications HTTP/1.1", "Host: gateway", *headers, "", ""])
    writer.write(head.encode())
    # Read while writing: once the gateway answers and closes, our unread side may be reset before we look.
    answer = asyncio.ensure_future(reader.readline())
    sent = 0
    chunked = "Transfer-Encoding: chunked" in headers
    if not chunked:
        # A declared length is judged from the headers alone: give the answer time to come before any body goes
        # (on a loaded machine, body bytes sent into a connection the gateway has closed reset it, answer and all).
        await asyncio.wait([answer], timeout=10)
    try:
        for _ in range(body_chunks):
            if answer.done():
                break
            writer.write(f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n" if chunked else CHUNK)
            await asyncio.wait_for(writer.drain(), 10)
            sent += len(CHUNK)
    except (ConnectionError, TimeoutError):
        pass  # the gateway stopped reading and closed: what we want
    try:
        status = await asyncio.wait_for(answer, 10)
    except ConnectionResetError:
        # The gateway answered 413 and closed while our bytes were still arriving: the kernel resets such a
        # connection, and the answer can be lost on our side. What counts is that it stopped reading.
        status = b"(reset)"
    writer.close()
    return status, sent


def _rss(port: int) -> int:
    [owner] = [c for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port and c.status == "LISTEN"]
    assert owner.pid is not None
    return int(psutil.Process(owner.pid).memory_info().rss)


async def test_a_huge_declared_body_is_refused_unread(gateway_process: int) -> None:
    before = _rss(gateway_process)
    headers = ["Content-Type: application/json", f"Content-Length: {HUGE}"]
    status, sent = await _post(gateway_process, headers, body_chunks=400)
    assert status.startswith(b"HTTP/1.1 413"), status
    assert sent < HUGE
    assert _rss(gateway_process) - before < 32 * 1024 * 1024


async def test_a_huge_chunked_body_without_a_token_is_cut_off_at_the_limit(gateway_process: int) -> None:
    before = _rss(gateway_process)
    status, sent = await _post(gateway_process, ["Content-Type: application/json", "Transfer-Encoding: chunked"], 400)
    assert status.startswith(b"HTTP/1.1 413") or status == b"(reset)", status
    assert sent < 100 * 1024 * 1024  # it stopped reading near the 4 MiB limit, long before 400 MB
    assert _rss(gateway_process) - before < 32 * 1024 * 1024
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"http://127.0.0.1:{gateway_process}/healthz")).status_code == 200
