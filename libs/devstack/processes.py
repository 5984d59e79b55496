"""Child processes that can never outlive the process that started them, and a supervisor that restarts them.

Every server the devstack starts is a direct child with a parent-death signal, so a test session or `make run`
that is killed outright (SIGKILL, OOM) still takes its database and broker down with it: no stray processes.
`make run` keeps its services and gateway under a `Supervisor`: one that dies is started again, the others go on.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
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


_LISTEN_FLOOR = 10_000  # below it live the well-known and registered services a developer may run


def _ephemeral_floor() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def free_port(host: str = "127.0.0.1") -> int:
    """A port free now, chosen below the kernel's ephemeral range.

    A port the kernel hands out for `bind(0)` lies in the range it also gives outgoing connections. A process that
    is restarted on its old port (a killed worker, a child `make run` brings back) could then find that an outgoing
    connection to the database or the broker took it meanwhile, and fail to bind for as long as that connection
    lives. Below the ephemeral range only another listener can take it.
    """
    ceiling = _ephemeral_floor()
    candidates = range(_LISTEN_FLOOR, ceiling) if ceiling - _LISTEN_FLOOR > 1_000 else range(0)
    for _ in range(200 if candidates else 0):
        port = secrets.choice(candidates)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, contextlib.suppress(OSError):
            s.bind((host, port))
            return port
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


def exit_description(returncode: int) -> str:
    """`1`, or `-9 (SIGKILL)` for a process a signal ended."""
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"{returncode} ({signal.Signals(-returncode).name})"
    return str(returncode)


@dataclass
class _Child:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    cwd: Path | None
    proc: subprocess.Popen[bytes]
    started: float = field(default_factory=time.monotonic)
    quick_crashes: int = 0  # crashes in a row, each soon after its start: they lengthen the back-off
    restart_at: float | None = None


class Supervisor:
    """Keeps children running. A child that exits while the supervisor watches is reported (its name, exit code and
    the end of its log) and started again after a back-off: `min_backoff` seconds, doubling with each crash that
    follows a start by less than `stable_after` seconds, up to `max_backoff`, so a crash loop does not spin. The
    other children are never touched. Restarts stop once `stop_all` is called."""

    def __init__(
        self,
        *,
        report: Callable[[str], None],
        min_backoff: float = 1.0,
        max_backoff: float = 30.0,
        stable_after: float = 60.0,
        poll_every: float = 0.2,
    ) -> None:
        self._report = report
        self._min_backoff, self._max_backoff, self._stable_after = min_backoff, max_backoff, stable_after
        self._poll_every = poll_every
        self._children: dict[str, _Child] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(
        self, name: str, argv: Sequence[str], *, env: Mapping[str, str], log_path: Path, cwd: Path | None
    ) -> None:
        proc = spawn(argv, log_path=log_path, env=env, cwd=cwd)
        with self._lock:
            self._children[name] = _Child(name, list(argv), dict(env), log_path, cwd, proc)

    def processes(self) -> dict[str, tuple[subprocess.Popen[bytes], Path]]:
        """Name → (current process, log), as `wait_for_http` watches them."""
        with self._lock:
            return {name: (child.proc, child.log_path) for name, child in self._children.items()}

    def watch(self) -> None:
        """From now on, restart whatever exits (in a background thread)."""
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)
        self._thread.start()

    def check(self) -> None:
        """One round: report children that exited, restart those whose back-off is over."""
        now = time.monotonic()
        with self._lock:
            for child in self._children.values():
                if self._stopping.is_set():
                    return
                if child.proc.poll() is None:
                    continue
                if child.restart_at is None:
                    self._schedule(child, now)
                elif now >= child.restart_at:
                    child.proc = spawn(child.argv, log_path=child.log_path, env=child.env, cwd=child.cwd)
                    child.started, child.restart_at = now, None
                    self._report(f"{child.name} restarted (pid {child.proc.pid}).")

    def _schedule(self, child: _Child, now: float) -> None:
        ran = now - child.started
        child.quick_crashes = child.quick_crashes + 1 if ran < self._stable_after else 0
        delay = min(self._max_backoff, self._min_backoff * 2 ** max(child.quick_crashes - 1, 0))
        child.restart_at = now + delay
        returncode = child.proc.returncode
        self._report(
            f"{child.name} exited with {exit_description(returncode)} after {ran:.0f} s; last lines of its log "
            f"({child.log_path}):\n{tail(child.log_path)}\nRestarting {child.name} in {delay:g} s; "
            "the other processes keep running."
        )

    def _run(self) -> None:
        while not self._stopping.wait(self._poll_every):
            try:
                self.check()
            except Exception as exc:  # a failed restart (say, a full disk) is reported and tried again
                self._report(f"supervisor: {exc!r}")

    def stop_all(self, order: Sequence[str], *, timeout: float = 20.0) -> None:
        """Stop restarting, then stop the children in `order` (each given `timeout` seconds)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            for name in order:
                if name in self._children:
                    stop(self._children[name].proc, timeout=timeout)
