"""`make run`: the whole system on one machine.

Starts the devstack (or uses external servers), migrates every schema, creates the admin user, starts the five services
and the gateway as separate processes, loads the demo county, prints the gateway URL and the admin password, and on
Ctrl-C stops everything in reverse order. Data stays in `JIUZHU_DATA_DIR` for the next run.

Once the system is ready, a process that dies is started again (libs.devstack.processes.Supervisor) and nothing else
stops: one crash never takes the rest down. Nor does the demo county: a step that fails is reported, and the system
keeps running without the rest of the demo.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from libs.demo_county.load import load_demo_county
from libs.devstack.processes import Supervisor, free_port, tail, wait_for_http
from libs.devstack.secrets import strong_password
from libs.devstack.stack import DevStack

SERVICES = ("intake", "casework", "matching", "complaints", "disbursement")
ROOT = Path(__file__).resolve().parents[2]


def _admin_password(data_dir: Path) -> str:
    """The given password, else the one generated on the first run (kept beside the data, readable by us only)."""
    given = os.environ.get("JIUZHU_ADMIN_PASSWORD")
    if given:
        return given
    stored = data_dir / "admin-password"
    if stored.exists():
        return stored.read_text().strip()
    password = strong_password()
    stored.write_text(password + "\n")
    stored.chmod(0o600)
    return password


def _run_module(module: str, *args: str, env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(
            [sys.executable, "-m", module, *args], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode != 0:
        raise SystemExit(f"`python -m {module} {' '.join(args)}` failed; see {log}:\n{tail(log)}")


def main() -> None:
    data_dir = Path(os.environ.get("JIUZHU_DATA_DIR", ".data")).resolve()
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    gateway_port = int(os.environ.get("JIUZHU_GATEWAY_PORT", "8000"))
    stack = DevStack(data_dir, durable=True)
    supervisor = Supervisor(report=_say)
    stopping = threading.Event()

    def on_signal(signum: int, _: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if (data_dir / "postgres" / "PG_VERSION").exists() and not (data_dir / "secrets.json").exists():
        raise SystemExit(
            f"{data_dir} holds data from a version of Jiuzhu that sealed it with a key written in its code; that key "
            "is gone (every secret is now generated per installation). Move that directory away to start afresh."
        )
    print("Starting PostgreSQL and the broker …", flush=True)
    stack.start()
    try:
        password = _admin_password(data_dir)
        env = {
            **os.environ,
            **stack.environment(),
            "PYTHONPATH": str(ROOT),
            "JIUZHU_ENVIRONMENT": "local",
            "JIUZHU_ADMIN_PASSWORD": password,
        }
        print("Migrating …", flush=True)
        for name in SERVICES:
            _run_module(f"services.{name}", "migrate", env=env, log=logs / "migrate.log")
        _run_module("gateway", "migrate", env=env, log=logs / "migrate.log")
        _run_module("gateway", "ensure-admin", env=env, log=logs / "migrate.log")

        gateway_env = dict(env)
        # Only the gateway signs access tokens: the services never hold that key.
        env = {name: value for name, value in env.items() if not name.startswith("GATEWAY_")}
        for name in SERVICES:
            port = free_port()
            gateway_env[f"GATEWAY_{name.upper()}_URL"] = f"http://127.0.0.1:{port}"
            supervisor.start(
                name,
                [sys.executable, "-m", f"services.{name}", "serve", "--role", "all", "--port", str(port)],
                log_path=logs / f"{name}.log",
                env=env,
                cwd=ROOT,
            )
        # The staff console calls the public API through the gateway, and the gateway serves it at /console/.
        console_port = free_port()
        gateway_env["GATEWAY_CONSOLE_URL"] = f"http://127.0.0.1:{console_port}"
        # None of the services' secrets: the console holds only the tokens of the people signed in.
        console_env = {k: v for k, v in env.items() if not k.startswith(("JIUZHU_", "GATEWAY_"))}
        console_env["CONSOLE_GATEWAY_URL"] = f"http://127.0.0.1:{gateway_port}"
        console_env["CONSOLE_COOKIE_SECURE"] = "false"  # plain HTTP on 127.0.0.1
        supervisor.start(
            "console",
            [sys.executable, "-m", "console", "serve", "--port", str(console_port)],
            log_path=logs / "console.log",
            env=console_env,
            cwd=ROOT,
        )
        gateway_env["GATEWAY_PORT"] = str(gateway_port)
        supervisor.start(
            "gateway", [sys.executable, "-m", "gateway", "serve"], log_path=logs / "gateway.log", env=gateway_env,
            cwd=ROOT,
        )  # fmt: skip
        base = f"http://127.0.0.1:{gateway_port}"
        try:
            # A process that cannot even start once is misconfigured: say so and stop, rather than restart it forever.
            wait_for_http(f"{base}/readyz", watch=supervisor.processes())
        except (RuntimeError, TimeoutError) as exc:
            raise SystemExit(f"{exc}; the logs are in {logs}") from exc
        supervisor.watch()
        if os.environ.get("JIUZHU_DEMO", "1") == "1":
            load_demo(base, password, data_dir)
        print(_banner(base, password, data_dir, logs), flush=True)
        while not stopping.wait(1):  # the signal handler sets it; the supervisor does the rest meanwhile
            pass
    finally:
        print("\nStopping …", flush=True)
        supervisor.stop_all(["console", "gateway", *reversed(SERVICES)], timeout=20)
        stack.stop()
        print("Stopped. Data kept in", data_dir, flush=True)


def _say(message: str) -> None:
    print(message, flush=True)


def load_demo(base: str, password: str, data_dir: Path) -> bool:
    """Load the demo county; a failure is reported and the system keeps running without the rest of it."""
    _say("Loading the demo county …")
    try:
        load_demo_county(base, password, data_dir)
    except Exception as exc:
        _say(
            f"The demo county could not be loaded completely ({_reason(exc)}); Jiuzhu keeps running. "
            f"To load it again from nothing, stop and delete {data_dir}."
        )
        return False
    return True


def _reason(exc: Exception) -> str:
    # The method, path and status only: a query string or a body may carry the demo's personal data.
    if isinstance(exc, httpx.HTTPStatusError):
        return f"{exc.request.method} {exc.request.url.path} answered {exc.response.status_code}"
    if isinstance(exc, httpx.HTTPError):
        try:
            return f"{type(exc).__name__} on {exc.request.method} {exc.request.url.path}"
        except RuntimeError:  # raised without a request
            return type(exc).__name__
    return type(exc).__name__


def _banner(base: str, password: str, data_dir: Path, logs: Path) -> str:
    return "\n".join(
        [
            "",
            "Jiuzhu is running.",
            f"  Console:   {base}/console/   (工作台: staff sign in with their Jiuzhu account)",
            f"  Gateway:   {base}   (API docs: {base}/docs)",
            f"  Admin:     user 'admin', password {password}",
            f"  Demo:      credentials of the demo county's staff and partners in {data_dir / 'demo-credentials.json'}",
            f"  Logs:      {logs}",
            "  Stop with Ctrl-C; data stays in JIUZHU_DATA_DIR for the next run.",
            "",
        ]
    )


if __name__ == "__main__":
    main()
