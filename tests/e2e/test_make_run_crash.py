"""`make run` survives a crashed child (issue 17, finding 13): before, `kill -9` of one service stopped every process.

The runner is started as `make run` starts it, on a fresh data directory. A service killed while the demo county loads
costs at most the demo (reported, the banner still comes); one killed afterwards is restarted, the gateway is ready
again, and every other process kept its pid.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import psutil
import pytest

from libs.devstack.processes import free_port
from tests.e2e.test_make_run import _start, _stop, _token, _wait_for_banner

CHILDREN = {"intake", "casework", "matching", "complaints", "disbursement", "gateway", "console", "postgres", "broker"}


def _children(runner: psutil.Process) -> dict[str, psutil.Process]:
    """The runner's direct children by what they are: the five services, the gateway, the console, PostgreSQL, the
    broker."""
    named = {}
    for child in runner.children():
        try:
            with_args = child.cmdline()
        except psutil.Error:  # a killed child the runner has not reaped yet
            continue
        if not with_args:  # a child being started again, between fork and exec
            continue
        if "-m" in with_args:
            module = with_args[with_args.index("-m") + 1]
            named[module.removeprefix("services.")] = child
        elif Path(with_args[0]).name == "postgres":
            named["postgres"] = child
        elif "broker" in with_args:
            named["broker"] = child
    return named


def _eventually(probe: object, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not probe():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.2)


def _ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.mark.slow
def test_make_run_restarts_a_killed_child_and_never_stops_the_rest(tmp_path: Path) -> None:
    data_dir, log, port = tmp_path / "data", tmp_path / "run.log", free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start(data_dir, port, log)
    runner = psutil.Process(proc.pid)
    try:
        _eventually(lambda: "Loading the demo county" in log.read_text() or proc.poll() is not None, timeout=180)
        assert proc.poll() is None, log.read_text()
        _children(runner)["intake"].kill()  # SIGKILL, while the demo county is being entered through it
        _wait_for_banner(proc, log, runs=1)
        assert proc.poll() is None, log.read_text()
        _eventually(lambda: _ready(base))

        before = _children(runner)
        assert set(before) == CHILDREN, before
        before["casework"].kill()
        _eventually(lambda: _children(runner).get("casework", before["casework"]).pid != before["casework"].pid)
        _eventually(lambda: _ready(base))

        after = _children(runner)
        assert proc.poll() is None
        assert {n: p.pid for n, p in after.items() if n != "casework"} == {
            n: p.pid for n, p in before.items() if n != "casework"
        }
        output = log.read_text()
        assert "intake exited with -9 (SIGKILL)" in output
        assert "casework exited with -9 (SIGKILL)" in output
        assert "Restarting casework in 1 s; the other processes keep running." in output
        # The restarted casework answers through the gateway.
        password = (data_dir / "admin-password").read_text().strip()
        headers = {"Authorization": f"Bearer {_token(base, password)}"}
        cases = httpx.get(f"{base}/api/v1/casework/cases", headers=headers)
        assert cases.status_code == 200, cases.text
    finally:
        children = _stop(proc)
    # Ctrl-C still stops everything, restarted children included, and the runner exits cleanly (_stop checks 0).
    _, alive = psutil.wait_procs(children, timeout=30)
    assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []
