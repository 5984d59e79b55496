"""Test session wiring: the real PostgreSQL and the real broker, started once, only if a test needs them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from libs.devstack.stack import DevStack
from tests.support.stack import start_test_stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevStack]:
    yield from start_test_stack(Path(tmp_path_factory.mktemp("jiuzhu")))


@pytest.fixture(scope="session")
async def engine(stack: DevStack) -> AsyncIterator[AsyncEngine]:
    url = stack.database_url.replace("postgresql://", "postgresql+asyncpg://", 1)
    eng = create_async_engine(url, pool_size=5)
    yield eng
    await eng.dispose()
