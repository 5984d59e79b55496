"""The whole system for the end-to-end scenarios, started once for tests/e2e and scanned for personal data in its
logs when it stops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Generator, Iterator

import httpx
import pytest

from libs.devstack.stack import DevStack
from tests.e2e.privacy import scan
from tests.e2e.system import WholeSystem
from tests.support.service_process import service_environment


# Package scope: the system stops when the last e2e test is done. Its workers join the services' consumer groups, so
# left running they would take events meant for later test packages' in-process consumers.
@pytest.fixture(scope="package")
async def whole_system(stack: DevStack, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[WholeSystem]:
    system = WholeSystem(stack, tmp_path_factory.mktemp("e2e-logs"), service_environment(stack))
    try:
        # In a thread: migrating the gateway runs its own event loop, and waiting for readiness blocks.
        await asyncio.to_thread(system.start)
        yield system
    finally:
        await system.close_actors()
        await asyncio.to_thread(system.stop)
    # After every scenario that used it, the logs of all twelve processes: tests/e2e/test_logs_privacy.py also scans
    # them mid-session, this catches what scenarios after it wrote.
    leaks = scan(system.log_files(), system.personal_data)
    assert not leaks, "personal data in the logs:\n" + "\n".join(map(str, leaks[:20]))


@pytest.fixture(autouse=True)
def _every_process_still_runs(request: pytest.FixtureRequest) -> Iterator[None]:
    """A scenario after which a process of the system is dead fails, naming it with its log's end: the scenarios
    after it would otherwise only time out waiting for what that process should have done."""
    yield
    if "whole_system" in request.fixturenames:
        dead = request.getfixturevalue("whole_system").dead_processes()
        assert not dead, "processes of the whole system have exited:\n" + "\n".join(
            f"{n}: {d}" for n, d in dead.items()
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Each phase's report on the test item (`rep_call`), so a browser test's fixture knows it failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
async def browser(whole_system: WholeSystem) -> AsyncIterator[httpx.AsyncClient]:
    """A cookie-keeping client on the gateway, as a browser is (no bearer token: the console signs in)."""
    async with httpx.AsyncClient(base_url=whole_system.base_url, timeout=60) as http:
        yield http
