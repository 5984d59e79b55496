"""A second connection that reads exactly what a session's transaction sees, beside it.

For one long read that a request's writes must not wait on, nor it on them: a roster's export streams a million rows
while its sealed chunks are written. The session exports its snapshot (`pg_export_snapshot`) and the reader's
read-only transaction takes it (`SET TRANSACTION SNAPSHOT`), the mechanism of `pg_dump --jobs`. The reader sees
neither what others commit after that moment nor what the session writes after it.

The reader is a connection of its own, not one of the pool: a request holding a pooled connection must never wait for
a second one, which under load could be the last. It is closed when the block ends; the session's transaction goes
on as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.connections import database_connect_args
from libs.kernel.db import driver_of
from libs.kernel.settings import BaseServiceSettings


@asynccontextmanager
async def snapshot_reader(
    session: AsyncSession, settings: BaseServiceSettings, *, purpose: str, work_mem: str | None = None
) -> AsyncIterator[asyncpg.Connection]:
    """A connection in a read-only transaction on `session`'s snapshot; `purpose` names it in `pg_stat_activity`,
    `work_mem` (e.g. `256MB`) lets one large sort or hash stay in memory."""
    snapshot = await (await driver_of(await session.connection())).fetchval("SELECT pg_export_snapshot()")
    reader = await asyncpg.connect(
        settings.plain_database_url,
        server_settings={"application_name": f"{settings.service_name} {purpose}"},
        **database_connect_args(settings),
    )
    try:
        async with reader.transaction(isolation="repeatable_read", readonly=True):
            # SET takes no parameters: the id, PostgreSQL's own (e.g. 00000003-0000001B-1), is checked instead.
            await reader.execute(f"SET TRANSACTION SNAPSHOT '{_snapshot_id(snapshot)}'")
            if work_mem is not None:
                await reader.execute("SELECT set_config('work_mem', $1, true)", work_mem)
            yield reader
    finally:
        await reader.close()


def _snapshot_id(value: object) -> str:
    text = str(value)
    if not text or any(c not in "0123456789ABCDEFabcdef-" for c in text):
        raise ValueError(f"not a snapshot id: {text!r}")
    return text
