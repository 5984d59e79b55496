"""A partition of `records` per feed: created before its COPY, dropped when the feed fails or is superseded."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching.feeds.models import partition_name


async def create_partition(session: AsyncSession, feed_no: int) -> None:
    table = partition_name(feed_no)
    await session.execute(
        text(f"CREATE TABLE matching.{table} PARTITION OF matching.records FOR VALUES IN ({int(feed_no)})")
    )
    # The COPY then need not repeat the feed on every row.
    await session.execute(text(f"ALTER TABLE matching.{table} ALTER COLUMN feed_no SET DEFAULT {int(feed_no)}"))


async def drop_partition(session: AsyncSession, feed_no: int) -> None:
    await session.execute(text(f"DROP TABLE IF EXISTS matching.{partition_name(feed_no)}"))
