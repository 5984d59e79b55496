"""The gateway's command line: `python -m gateway serve|migrate|ensure-admin`."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

import uvicorn

from gateway.audit.access import AccessAudit
from gateway.audit.actions import AdminAction
from gateway.auth.models import Client, LoginFailure, RefreshToken, Revocation, User
from gateway.auth.users import ensure_admin
from gateway.config import GatewaySettings
from gateway.db import SCHEMA, Base
from gateway.main import create_app
from gateway.regions.models import Region
from libs.kernel.db import Database
from libs.kernel.logging import configure_logging, get_logger
from libs.kernel.migrations import upgrade
from libs.kernel.settings import load_settings

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"
# Imported for their side effect: every table is on Base.metadata when Alembic compares it.
_TABLES = (AccessAudit, AdminAction, User, Client, LoginFailure, RefreshToken, Revocation, Region)


def migrate(settings: GatewaySettings) -> None:
    upgrade(SCHEMA, VERSIONS_DIR, Base.metadata, settings)


def _serve(settings: GatewaySettings) -> None:
    trusted = settings.trusted_proxies.strip()
    app = create_app(settings)
    # Everything imported and built so far lives as long as the process: move it out of the collector's sight, so
    # the collections that per-request garbage triggers do not walk the whole of FastAPI, pydantic and SQLAlchemy.
    gc.collect()
    gc.freeze()
    # timeout_keep_alive: longer than a load balancer in front keeps an idle connection (libs.kernel.settings).
    uvicorn.run(app, host=settings.host, port=settings.port, loop="uvloop", http="httptools",
                access_log=False, log_config=None, timeout_graceful_shutdown=10,
                timeout_keep_alive=settings.http_keepalive_seconds,
                proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None)  # fmt: skip


async def _ensure_admin(settings: GatewaySettings) -> bool:
    if settings.admin_password is None:
        raise SystemExit("set JIUZHU_ADMIN_PASSWORD to the password the user 'admin' should get")
    db = Database(settings, SCHEMA)
    try:
        async with db.sessions.begin() as session:
            return await ensure_admin(session, settings.admin_password.get_secret_value())
    finally:
        await db.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the gateway")
    serve.add_argument("--port", type=int)
    serve.add_argument("--host")
    # The services' runner passes --role to every process; the gateway has only an API, so it accepts and ignores it.
    serve.add_argument("--role", choices=["api", "all"], help=argparse.SUPPRESS)
    sub.add_parser("migrate", help="bring the gateway schema to the newest revision")
    sub.add_parser("ensure-admin", help="create the user 'admin' from JIUZHU_ADMIN_PASSWORD unless it exists")
    args = parser.parse_args(argv)

    overrides = {k: getattr(args, k, None) for k in ("port", "host")}
    settings = load_settings(GatewaySettings, **{k: v for k, v in overrides.items() if v is not None})
    configure_logging("gateway", settings.log_level)
    log = get_logger("gateway.cli")
    if args.command == "serve":
        _serve(settings)
    elif args.command == "migrate":
        migrate(settings)
        log.info("gateway.migrated")
    else:
        try:
            created = asyncio.run(_ensure_admin(settings))
        except ValueError as exc:  # a password too short: say so, without echoing it
            sys.exit(f"ensure-admin: {exc}")
        log.info("gateway.admin_ensured", username="admin", created=created)
