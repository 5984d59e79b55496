"""A reader beside a session sees what the session's transaction saw when it asked for the reader: not what others
commit after, nor what the session writes after, and it cannot write."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text

from libs.devstack.stack import DevStack
from libs.kernel.connections import database_connect_args
from libs.kernel.db import Database
from libs.kernel.snapshot_reader import snapshot_reader
from tests.kernel.test_connections import settings


@pytest.fixture
async def table(stack: DevStack) -> AsyncIterator[str]:
    name = f"public.snapshot_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(settings().plain_database_url, **database_connect_args(settings()))
    try:
        await conn.execute(f"CREATE TABLE {name} (n int PRIMARY KEY, word text NOT NULL)")
        await conn.execute(f"INSERT INTO {name} VALUES (1, 'before')")  # noqa: S608
        yield name
        await conn.execute(f"DROP TABLE {name}")
    finally:
        await conn.close()


async def test_the_reader_sees_the_sessions_snapshot_not_later_commits_nor_later_writes(table: str) -> None:
    db = Database(settings(), "intake")
    other = await asyncpg.connect(settings().plain_database_url, **database_connect_args(settings()))
    try:
        async with db.sessions.begin() as session:
            assert await session.scalar(text(f"SELECT word FROM {table} WHERE n = 1")) == "before"  # noqa: S608
            async with snapshot_reader(session, db.settings, purpose="test", work_mem="64MB") as reader:
                # Committed by another transaction after the snapshot was exported: not seen.
                await other.execute(f"UPDATE {table} SET word = 'later' WHERE n = 1")  # noqa: S608
                await other.execute(f"INSERT INTO {table} VALUES (2, 'later')")  # noqa: S608
                # Written by the session itself after it: not seen either (uncommitted, in another transaction).
                await session.execute(text(f"INSERT INTO {table} VALUES (3, 'mine')"))  # noqa: S608
                rows = await reader.fetch(f"SELECT n, word FROM {table} ORDER BY n")  # noqa: S608
                assert [tuple(r) for r in rows] == [(1, "before")]
                assert await reader.fetchval("SHOW work_mem") == "64MB"
                assert await reader.fetchval(
                    "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"
                ) == (f"{db.settings.service_name} test")
                with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
                    await reader.execute(f"DELETE FROM {table}")  # noqa: S608
            assert reader.is_closed()
            # The session's transaction goes on: it sees its own row, and the other's commit (read committed).
            words = (await session.execute(text(f"SELECT word FROM {table} ORDER BY n"))).scalars().all()  # noqa: S608
            assert words == ["later", "later", "mine"]
    finally:
        await other.close()
        await db.dispose()
