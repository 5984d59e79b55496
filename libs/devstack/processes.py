"""Child processes that can never outlive the process that started them.

Every server the devstack starts is a direct child with a parent-death signal, so a test session or `make run`
that is killed outright (SIGKILL, OOM) still takes its database and broker down with it: no stray processes.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import httpx

_PR_SET_PDEATHSIG = 1


def _die_with_parent(sig: int) -> Callable[[], None]:
    def preexec() -> None:
        # Runs in the child after setuid (CPython applies user= before preexec_fn), so the kernel does not
        # clear the parent-death signal again on the credential change.
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
        # Own process group: Ctrl-C in the terminal reaches the runner, which then stops children in order.
        os.setpgid(0, 0)

    return preexec


def spawn(
    argv: Sequence[str],
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    user: str | None = None,
    death_signal: int = signal.SIGTERM,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    """Start `argv` with its output appended to `log_path`, bound to our lifetime."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    try:
        return subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            user=user,
            # Drop root's groups too: with gid 0 kept, root-owned 0705 parents would deny traversal.
            group=user,
            extra_groups=[] if user else None,
            cwd=cwd,
            preexec_fn=_die_with_parent(death_signal),
        )
    finally:
        log.close()


def stop(proc: subprocess.Popen[bytes], *, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
    """Ask a child to stop, and kill it if it does not within `timeout`."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        proc.wait(5)


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def wait_for_port(host: str, port: int, *, proc: subprocess.Popen[bytes], timeout: float, log_path: Path) -> None:
    """Block until `host:port` accepts connections, failing fast if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}; see {log_path}:\n{tail(log_path)}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"{proc.args!r} did not listen on {host}:{port} within {timeout}s; see {log_path}")


def wait_for_http(
    url: str, *, watch: Mapping[str, tuple[subprocess.Popen[bytes], Path]], timeout: float = 90.0
) -> None:
    """Block until GET `url` answers 200; fail fast, with the tail of its log, if a watched process exits."""
    deadline = time.monotonic() + timeout
    while True:
        for name, (proc, log_path) in watch.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {log_path}:\n{tail(log_path)}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=5).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} was not ready within {timeout}s")
        time.sleep(0.1)


def lost_its_port(log_path: Path) -> bool:
    """Whether a process failed to bind: `free_port` only finds a port free at that moment, and another process (an
    outgoing connection's ephemeral port, say) can take it before the child binds it."""
    return "address already in use" in tail(log_path, 5).lower()


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
