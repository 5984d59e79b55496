"""Matching's API in process (role api) on the session's real database; a settable clock per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import httpx
import pytest

from libs.devstack.stack import DevStack
from libs.kernel.auth import InternalTokens
from libs.kernel.service import create_service_app
from services.matching.definition import DEFINITION as MATCHING
from tests.matching.support import Broker, Clock, MatchingApi


@pytest.fixture
async def api(stack: DevStack) -> AsyncIterator[MatchingApi]:
    settings = MATCHING.settings().with_overrides(role="api", feed_block_bytes=4096)
    app = create_service_app(MATCHING, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    # A fixed day (the feeds' default as-of date), so the watch list's month and hits' due dates do not depend on
    # when the tests run.
    clock = Clock()
    clock.set_day(date(2026, 11, 20))
    async with app.router.lifespan_context(app):
        app.state.runtime.context = replace(app.state.runtime.context, clock=clock)
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://matching", timeout=60) as http:
            yield MatchingApi(http, tokens, app.state.db, clock, app)


@pytest.fixture
def broker(api: MatchingApi) -> Broker:
    return Broker(api)
