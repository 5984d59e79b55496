"""Disbursement's API in process (role api) on the session's real database; a settable clock per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import httpx
import pytest

from libs.devstack.stack import DevStack
from libs.kernel.auth import InternalTokens
from libs.kernel.service import create_service_app
from services.disbursement.definition import DEFINITION as DISBURSEMENT
from tests.disbursement.support import Broker, Clock, DisbursementApi


@pytest.fixture
async def api(stack: DevStack) -> AsyncIterator[DisbursementApi]:
    # Small export chunks, so a roster of a few lines still streams in several.
    settings = DISBURSEMENT.settings().with_overrides(role="api", export_chunk_lines=3)
    app = create_service_app(DISBURSEMENT, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    # 2 December 2026: the December rosters are due on the 5th.
    clock = Clock()
    clock.set_day(date(2026, 12, 2))
    async with app.router.lifespan_context(app):
        app.state.runtime.context = replace(app.state.runtime.context, clock=clock)
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://disbursement", timeout=60) as http:
            yield DisbursementApi(http, tokens, app.state.db, clock, app.state.runtime)


@pytest.fixture
def broker(api: DisbursementApi) -> Broker:
    return Broker(api)
