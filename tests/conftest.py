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


# `make test` runs two pytest workers (pytest-xdist, `--dist loadgroup`). The whole-system tests (tests/e2e) share one
# worker, in file order, with the one whole system they start: two would compete for these two cores. Every other
# file goes whole to whichever worker is free, so its module fixtures are set up once; each worker has its own
# PostgreSQL and broker (the session's `stack`).
_ONE_WORKER = ("e2e",)
# Whole-system tests that start a system of their own (`make run`) rather than the shared one: they go whole to
# whichever worker is free, like other files, so the shared system's worker is not also the one to wait for them.
_OWN_SYSTEM = frozenset({"test_make_run.py", "test_make_run_crash.py"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        relative = item.path.relative_to(tests)
        shared = relative.parts[0] in _ONE_WORKER and relative.name not in _OWN_SYSTEM
        item.add_marker(pytest.mark.xdist_group("system" if shared else str(relative)))
