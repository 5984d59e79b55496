"""A service process started the way production starts it (`python -m services.<name> serve`), for tests that kill
and restart processes, and the environment such processes start in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from libs.devstack.processes import free_port, spawn, stop
from libs.devstack.stack import DevStack

REPO_ROOT = Path(__file__).resolve().parents[2]
INTERNAL_SECRET = "gateway-tests-internal-token-secret-0123456789"


def service_environment(stack: DevStack) -> dict[str, str]:
    """The session's stack, and the internal-token secret the tests' gateways share with the services."""
    return {
        **os.environ,
        **stack.environment(),
        "PYTHONPATH": str(REPO_ROOT),
        "JIUZHU_ENVIRONMENT": "test",
        "JIUZHU_INTERNAL_TOKEN_SECRET": INTERNAL_SECRET,
    }


@dataclass
class ServiceProcess:
    module: str  # "services.casework" or "gateway"
    role: str
    env: dict[str, str]
    log_path: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = [sys.executable, "-m", self.module, "serve", "--role", self.role, "--port", str(self.port)]
        self.proc = spawn(argv, log_path=self.log_path, env={**self.env, "PYTHONPATH": str(REPO_ROOT)}, cwd=REPO_ROOT)

    def kill(self) -> None:
        """SIGKILL: no shutdown hooks, no final commits, as in a crash or an OOM kill."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def restart_after_crash(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc, timeout=15)
            self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"
