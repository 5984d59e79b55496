"""The lock a feed's loader holds while the body streams in: PostgreSQL frees it when the loader's connection ends,
so a feed in `received` whose lock is free has no loader any more (a crash, a kill -9) and is failed by the sweep.

A session-level advisory lock on the loading connection, taken in the transaction that makes the feed loadable
(before anyone can see it so), released when the load ends. Its key is the two-number form (a namespace, the feed's
number), a key space apart from the one-number locks the scheduled jobs take.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

# "feed" in ASCII, as the namespace of these locks.
_NAMESPACE = 0x66656564
_INT4 = 2_147_483_647


def _key(feed_no: int) -> dict[str, int]:
    return {"ns": _NAMESPACE, "feed": int(feed_no) % _INT4}


async def hold(session: AsyncSession, feed_no: int) -> bool:
    """Take the feed's loader lock for the session of the connection `session` is bound to (it outlives the
    transaction); False if another loader holds it."""
    return bool(await session.scalar(text("SELECT pg_try_advisory_lock(:ns, :feed)"), _key(feed_no)))


async def release(conn: AsyncConnection, feed_no: int) -> None:
    await conn.execute(text("SELECT pg_advisory_unlock(:ns, :feed)"), _key(feed_no))
    await conn.commit()


async def loader_gone(session: AsyncSession, feed_no: int) -> bool:
    """Whether no loader holds the feed's lock (checked by taking it until the sweep's transaction ends)."""
    return bool(await session.scalar(text("SELECT pg_try_advisory_xact_lock(:ns, :feed)"), _key(feed_no)))
