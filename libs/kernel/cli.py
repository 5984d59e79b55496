"""The command line every service shares: `python -m services.<name> serve|migrate|replay`."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from datetime import datetime

import uvicorn
from sqlalchemy import MetaData

from libs.kernel.db import Database
from libs.kernel.logging import configure_logging, get_logger
from libs.kernel.migrations import upgrade
from libs.kernel.outbox import mark_for_replay
from libs.kernel.pruning import replay_window_start
from libs.kernel.service import ServiceDefinition, create_service_app
from libs.kernel.settings import Role, ServiceSettings, load_settings


def _serve(definition: ServiceDefinition, settings: ServiceSettings) -> None:
    app = create_service_app(definition, settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        access_log=False,
        log_config=None,
        timeout_graceful_shutdown=10,
        # Longer than the gateway keeps an idle connection to us (settings: the invariant is explained there).
        timeout_keep_alive=settings.http_keepalive_seconds,
    )


def _replay(definition: ServiceDefinition, settings: ServiceSettings, since: datetime) -> None:
    async def run() -> int:
        db = Database(settings, definition.name)
        try:
            async with db.sessions.begin() as session:
                return await mark_for_replay(session, definition.tables.outbox, since)
        finally:
            await db.dispose()

    count = asyncio.run(run())
    get_logger("replay").info("outbox.replay_queued", events=count, since=since.isoformat())


def main(
    definition: ServiceDefinition,
    argv: Sequence[str] | None = None,
) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m services.{definition.name}")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the API, the worker, or both")
    serve.add_argument("--role", choices=[r.value for r in Role])
    serve.add_argument("--port", type=int)
    serve.add_argument("--host")
    sub.add_parser("migrate", help="bring this service's schema to the newest revision")
    replay = sub.add_parser("replay", help="publish again every outbox event created since a time")
    replay.add_argument(
        "--since",
        required=True,
        type=datetime.fromisoformat,
        help="ISO 8601 with offset, e.g. 2026-11-23T00:00:00+08:00",
    )
    args = parser.parse_args(argv)

    overrides = {
        k: v
        for k, v in {
            "role": args.__dict__.get("role"),
            "port": args.__dict__.get("port"),
            "host": args.__dict__.get("host"),
        }.items()
        if v is not None
    }
    settings = load_settings(definition.settings_cls, **overrides)
    configure_logging(definition.name, settings.log_level)
    if args.command == "serve":
        _serve(definition, settings)
    elif args.command == "migrate":
        migrate(definition, settings)
    else:
        if args.since.tzinfo is None:
            parser.error("--since needs a UTC offset")
        window = replay_window_start(settings)
        if args.since < window:
            # Older outbox rows and the inbox rows that make a second delivery harmless may be pruned already: a
            # replay from there would miss events and could apply some twice (docs/operator-guide.md, section 8).
            parser.error(
                f"--since is before the replay window ({window.isoformat()}, messaging_retention_days="
                f"{settings.messaging_retention_days}): events older than that may be pruned"
            )
        _replay(definition, settings, args.since)


def migrate(definition: ServiceDefinition, settings: ServiceSettings) -> None:
    metadata: MetaData = definition.metadata
    upgrade(definition.name, definition.migrations_dir, metadata, settings)
