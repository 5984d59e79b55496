"""`make run` survives a crash (issue 17, finding 13): the supervisor restarts what died and leaves the rest alone, and
the demo loader rides out a restarting service, or reports its failure, instead of stopping the system.

Real child processes and real HTTP servers; `tests/e2e/test_make_run_crash.py` does the same with `make run` itself.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar, TypeVar

import httpx
import pytest

from libs.demo_county.http import RetryingTransport, demo_client
from libs.devstack.processes import Supervisor, free_port
from libs.devstack.run import load_demo

T = TypeVar("T")
SLEEPER = "import time; print('{name} up', flush=True); time.sleep(600)"
CRASHER = "import sys; print('{name} cannot start: no such table', flush=True); sys.exit(3)"


def eventually(probe: Callable[[], T], done: Callable[[T], bool], timeout: float = 20.0) -> T:
    """Poll `probe` until `done(value)`; fail with the last value seen."""
    deadline = time.monotonic() + timeout
    while not done(value := probe()):
        assert time.monotonic() < deadline, value
        time.sleep(0.05)
    return value


@pytest.fixture
def supervisor() -> Iterator[tuple[Supervisor, list[str]]]:
    reports: list[str] = []
    supervisor = Supervisor(report=reports.append, min_backoff=0.2, max_backoff=1.0, stable_after=60, poll_every=0.05)
    try:
        yield supervisor, reports
    finally:
        supervisor.stop_all(["a", "b", "c"], timeout=5)


def _start(supervisor: Supervisor, name: str, code: str, tmp_path: Path) -> None:
    argv = [sys.executable, "-c", code.format(name=name)]
    supervisor.start(name, argv, env={"PATH": "/usr/bin:/bin"}, log_path=tmp_path / f"{name}.log", cwd=None)


def test_a_killed_child_is_restarted_and_reported_and_the_others_keep_running(
    supervisor: tuple[Supervisor, list[str]], tmp_path: Path
) -> None:
    sup, reports = supervisor
    _start(sup, "a", SLEEPER, tmp_path)
    _start(sup, "b", SLEEPER, tmp_path)
    eventually(lambda: (tmp_path / "a.log").read_text(), lambda text: "a up" in text)
    before = {name: proc.pid for name, (proc, _) in sup.processes().items()}
    sup.watch()

    sup.processes()["a"][0].send_signal(signal.SIGKILL)

    restarted = eventually(lambda: sup.processes()["a"][0], lambda proc: proc.pid != before["a"])
    assert restarted.poll() is None
    assert sup.processes()["b"][0].pid == before["b"]
    assert sup.processes()["b"][0].poll() is None
    crash = next(report for report in reports if report.startswith("a exited"))
    assert "a exited with -9 (SIGKILL)" in crash
    assert "a up" in crash  # the end of its log
    assert "Restarting a in 0.2 s" in crash
    assert f"a restarted (pid {restarted.pid})." in reports


def test_a_crash_loop_backs_off_and_stopping_ends_the_restarts(
    supervisor: tuple[Supervisor, list[str]], tmp_path: Path
) -> None:
    sup, reports = supervisor
    _start(sup, "c", CRASHER, tmp_path)
    sup.watch()

    crashes = eventually(lambda: [r for r in reports if r.startswith("c exited")], lambda found: len(found) >= 4)
    delays = [crash.split("Restarting c in ")[1].split(" s")[0] for crash in crashes[:4]]
    assert delays == ["0.2", "0.4", "0.8", "1"]  # doubling, up to max_backoff
    assert all("c exited with 3" in crash and "no such table" in crash for crash in crashes)

    sup.stop_all(["c"], timeout=5)
    seen = len(reports)
    assert sup.processes()["c"][0].poll() is not None
    sup.check()  # a round after stopping restarts nothing
    assert len(reports) == seen


class _Scripted(BaseHTTPRequestHandler):
    """Answers each request with the next status of `script` (then 200), recording what it saw."""

    script: ClassVar[list[int]] = []
    seen: ClassVar[list[str]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        type(self).seen.append(self.command)
        status = type(self).script.pop(0) if type(self).script else 200
        body = b'{"access_token": "t"}' if status == 200 else b"{}"
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def scripted() -> Iterator[tuple[str, type[_Scripted]]]:
    handler = type("Handler", (_Scripted,), {"script": [], "seen": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def test_the_demo_client_retries_what_can_be_sent_twice(scripted: tuple[str, type[_Scripted]]) -> None:
    url, handler = scripted
    transport = RetryingTransport(attempts=4, first_delay=0.01)
    with demo_client(url, timeout=5, transport=transport) as client:
        handler.script[:] = [502, 503]
        assert client.get("/api/v1/intake/applications").status_code == 200
        assert handler.seen == ["GET", "GET", "GET"]

        handler.seen.clear()
        handler.script[:] = [502]
        assert client.post("/api/v1/intake/applications", json={}).status_code == 502  # might have been written
        assert handler.seen == ["POST"]

        handler.seen.clear()
        handler.script[:] = [504]
        keyed = client.post("/api/v1/matching/feeds", content=b"x", headers={"Idempotency-Key": "feed-1"})
        assert keyed.status_code == 200
        assert handler.seen == ["POST", "POST"]

        handler.seen.clear()
        handler.script[:] = [502, 502, 502, 502, 502]
        assert client.put("/api/v1/intake/calendar/2027", json={}).status_code == 502  # attempts run out
        assert handler.seen == ["PUT"] * 4


def test_a_post_that_could_not_connect_is_retried() -> None:
    transport = RetryingTransport(attempts=3, first_delay=0.01)
    url = f"http://127.0.0.1:{free_port()}"
    with demo_client(url, timeout=5, transport=transport) as client, pytest.raises(httpx.ConnectError):
        client.post("/api/v1/auth/token", data={"grant_type": "password"})


def test_a_demo_that_fails_is_reported_and_nothing_stops(
    scripted: tuple[str, type[_Scripted]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: an exception out of the demo loader ended `make run` and stopped every process."""
    url, handler = scripted
    handler.script[:] = [502]  # the administrator's sign-in meets a service restarting behind the gateway

    assert load_demo(url, "admin-password", tmp_path) is False

    out = capsys.readouterr().out
    assert "The demo county could not be loaded completely (POST /api/v1/auth/token answered 502)" in out
    assert "Jiuzhu keeps running" in out
    assert "admin-password" not in out
