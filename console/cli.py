"""`python -m console serve [--port N] [--host H]`: the console's process."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import uvicorn
from pydantic import ValidationError

from console.app import create_app
from console.config import ConsoleSettings
from libs.kernel.logging import configure_logging


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m console")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the staff console")
    serve.add_argument("--port", type=int)
    serve.add_argument("--host")
    # The runners pass --role to every process they start; the console has only pages, so it accepts and ignores it.
    serve.add_argument("--role", choices=["api", "all"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        settings = ConsoleSettings()
    except ValidationError as exc:
        # Names and the rule broken only: a settings value is never printed.
        names = ", ".join(f"CONSOLE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        raise SystemExit(f"console settings: {names}") from None
    overrides = {k: v for k in ("port", "host") if (v := getattr(args, k)) is not None}
    if overrides:
        settings = settings.model_copy(update=overrides)
    configure_logging("console", settings.log_level)
    trusted = settings.trusted_proxies.strip()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, loop="uvloop", http="httptools",
                access_log=False, log_config=None, timeout_graceful_shutdown=10,
                proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None)  # fmt: skip
