"""`make run`: the whole system on one machine.

Starts the devstack (or uses external servers), migrates every schema, creates the admin user, starts the five services
and the gateway as separate processes, loads the demo county, prints the gateway URL and the admin password, and on
Ctrl-C stops everything in reverse order. Data stays in `JIUZHU_DATA_DIR` for the next run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from libs.devstack.processes import free_port, spawn, stop, tail, wait_for_http
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
    procs: dict[str, subprocess.Popen[bytes]] = {}
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
            procs[name] = spawn(
                [sys.executable, "-m", f"services.{name}", "serve", "--role", "all", "--port", str(port)],
                log_path=logs / f"{name}.log",
                env=env,
                cwd=ROOT,
            )
        gateway_env["GATEWAY_PORT"] = str(gateway_port)
        procs["gateway"] = spawn(
            [sys.executable, "-m", "gateway", "serve"], log_path=logs / "gateway.log", env=gateway_env, cwd=ROOT
        )
        base = f"http://127.0.0.1:{gateway_port}"
        watch = {name: (proc, logs / f"{name}.log") for name, proc in procs.items()}
        try:
            wait_for_http(f"{base}/readyz", watch=watch)
        except (RuntimeError, TimeoutError) as exc:
            raise SystemExit(f"{exc}; the logs are in {logs}") from exc
        if os.environ.get("JIUZHU_DEMO", "1") == "1":
            from libs.devstack.demo import load_demo_county

            load_demo_county(base, password, data_dir)
        print(_banner(base, password, data_dir, logs), flush=True)
        while not stopping.is_set():
            for name, proc in procs.items():
                if proc.poll() is not None:
                    print(
                        f"{name} exited with {proc.returncode}; last lines of its log:\n{tail(logs / (name + '.log'))}",
                        flush=True,
                    )
                    stopping.set()
            stopping.wait(1)
    finally:
        print("\nStopping …", flush=True)
        for name in ["gateway", *reversed(SERVICES)]:
            if name in procs:
                stop(procs[name], timeout=20)
        stack.stop()
        print("Stopped. Data kept in", data_dir, flush=True)


def _banner(base: str, password: str, data_dir: Path, logs: Path) -> str:
    return "\n".join(
        [
            "",
            "Jiuzhu is running.",
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
