"""One async engine per service, pinned to the service's own schema.

One request = one transaction: `DbSession` opens it before the endpoint runs and commits it after the endpoint
returns but before the response is sent, so a client never sees a 2xx for a write that did not commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import MetaData, event, exc, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from libs.kernel.connections import database_connect_args
from libs.kernel.settings import BaseServiceSettings

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def schema_metadata(schema: str) -> MetaData:
    return MetaData(schema=schema, naming_convention=NAMING)


class Database:
    def __init__(self, settings: BaseServiceSettings, schema: str) -> None:
        self.schema = schema
        self.settings = settings
        self.engine: AsyncEngine = create_async_engine(
            settings.async_database_url,
            # A fixed pool, opened as load needs it: a burst's connections stay. With `max_overflow` each connection
            # past the pool was closed on its return and opened again by the next burst, costing a server backend,
            # the driver's set-up and every statement prepared again; under 24 lanes of applications that was one
            # new connection per application in casework's API (bench/RESULTS.md, issue 23).
            pool_size=2 * settings.db_pool_size,
            max_overflow=0,
            # No `pool_pre_ping`: with asyncpg it costs three round trips (BEGIN, a statement, ROLLBACK) on every
            # checkout, a visible share of a short request's CPU in both processes (bench/RESULTS.md, issue 23).
            # `_discard_closed` below drops a connection the server closed (a restart, a terminated backend) without
            # a round trip; a connection that dies unseen fails its request and is thrown away (`is_disconnect`).
            # A failed statement's message would otherwise carry its parameters (names, identity numbers) into the
            # logs of a 500 (libs.kernel.logging scrubs what asyncpg itself quotes).
            hide_parameters=True,
            connect_args={
                "server_settings": {"search_path": schema, "application_name": settings.service_name},
                **database_connect_args(settings),
            },
        )
        event.listen(self.engine.sync_engine.pool, "checkout", _discard_closed)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


def _discard_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection whose socket the server has closed is replaced before use (the pool retries the
    checkout with a new connection): asyncpg notices the close while the connection sits in the pool."""
    if dbapi_connection._connection.is_closed():
        raise exc.DisconnectionError("the server closed this pooled connection")


async def driver_of(conn: AsyncConnection) -> asyncpg.Connection:
    """The asyncpg connection under `conn`, in its transaction: for COPY, which SQLAlchemy does not offer."""
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert isinstance(driver, asyncpg.Connection)
    return driver


async def try_advisory_xact_lock(session: AsyncSession, name: str) -> bool:
    """Take the transaction-scoped advisory lock `name` if free: replicas of a worker use it to take turns."""
    return bool(await session.scalar(text("SELECT pg_try_advisory_xact_lock(hashtext(:n))"), {"n": name}))


def _database(request: Request) -> Database:
    db = getattr(request.app.state, "db", None)
    assert isinstance(db, Database), "create_app must set app.state.db"
    return db


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with _database(request).sessions.begin() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(_request_session, scope="function")]
