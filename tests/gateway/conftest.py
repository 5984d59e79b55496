"""Gateway test wiring: the gateway schema migrated, one real intake process, one shared gateway and its admin."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from gateway.auth.users import ensure_admin
from gateway.cli import migrate
from gateway.config import GatewaySettings
from libs.devstack.processes import stop
from libs.devstack.stack import DevStack
from libs.kernel.db import Database
from tests.gateway.harness import (
    ADMIN_PASSWORD,
    RunningGateway,
    ServiceProcess,
    gateway_settings,
    running_gateway,
    start_service,
)


@pytest.fixture(scope="session")
def gateway_schema(stack: DevStack) -> None:
    # The shared test stack migrates the five services only; the gateway migrates its own schema.
    migrate(GatewaySettings(database_url=stack.database_url, environment="test"))


@pytest.fixture(scope="session")
def intake(stack: DevStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    service = start_service("intake", stack, tmp_path_factory.mktemp("gateway-upstreams"))
    try:
        yield service
    finally:
        stop(service.proc)


@pytest.fixture(scope="session")
def complaints(stack: DevStack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceProcess]:
    # The gateway hands a new hotline client's callback to complaints (gateway/auth/hotline.py).
    service = start_service("complaints", stack, tmp_path_factory.mktemp("gateway-complaints"))
    try:
        yield service
    finally:
        stop(service.proc)


@pytest.fixture(scope="session")
async def admin_ready(stack: DevStack, gateway_schema: None) -> None:
    db = Database(gateway_settings(stack, "http://unused"), "gateway")
    try:
        async with db.sessions.begin() as session:
            await ensure_admin(session, ADMIN_PASSWORD)
    finally:
        await db.dispose()


@pytest.fixture(scope="session")
async def gateway(
    stack: DevStack, intake: ServiceProcess, complaints: ServiceProcess, admin_ready: None
) -> AsyncIterator[RunningGateway]:
    """The gateway with every upstream pointed at the real intake process, but complaints at its own."""
    async with running_gateway(gateway_settings(stack, intake.url, complaints_url=complaints.url)) as gw:
        yield gw


@pytest.fixture(scope="session")
async def admin_token(gateway: RunningGateway) -> str:
    return await gateway.password_token("admin", ADMIN_PASSWORD)
