"""Test session wiring: the real PostgreSQL and the real broker, started once, only if a test needs them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path, PurePosixPath

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from xdist.remote import Producer
from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController

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
# worker, in file order, with the one whole system they start: two would compete for these two cores, and each worker
# would start its own system again whenever its tests left tests/e2e and came back. Every other file goes whole to
# whichever worker is free, so its module fixtures are set up once; each worker has its own PostgreSQL and broker
# (the session's `stack`).
#
# The grouping is this scheduler's, not `xdist_group` marks: xdist 3.8 adds a mark's group to `item._nodeid`, which
# pytest 9 no longer reads, so the marks grouped nothing and the e2e files were spread over both workers.
SYSTEM = "system"
_ONE_WORKER = ("e2e",)
# Whole-system tests that start a system of their own (`make run`) rather than the shared one: they go whole to
# whichever worker is free, like other files, so the shared system's worker is not also the one to wait for them.
_OWN_SYSTEM = frozenset({"test_make_run.py", "test_make_run_crash.py"})


def group_of(nodeid: str) -> str:
    """The unit of work a test goes in: the shared system's, or its file's."""
    path = PurePosixPath(nodeid.split("::", 1)[0])
    shared = len(path.parts) > 2 and path.parts[1] in _ONE_WORKER and path.name not in _OWN_SYSTEM
    return SYSTEM if shared else str(path)


class _FilesAndTheSystem(LoadScopeScheduling):  # type: ignore[misc]  # xdist has no types
    """Whole files to whichever worker is free, the shared system's tests as one unit handed out first: it is the
    longest, so a worker that takes it late would finish long after the other."""

    def _split_scope(self, nodeid: str) -> str:
        return group_of(nodeid)

    def _assign_work_unit(self, node: WorkerController) -> None:
        if SYSTEM in self.workqueue:
            self.workqueue.move_to_end(SYSTEM, last=False)
        super()._assign_work_unit(node)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Producer) -> LoadScopeScheduling | None:
    return _FilesAndTheSystem(config, log) if config.getvalue("dist") == "loadgroup" else None
