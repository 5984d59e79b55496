"""Complaints' API in process (role api) on the session's real database; a settable clock per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date

import httpx
import pytest

from libs.devstack.stack import DevStack
from libs.kernel.auth import InternalTokens
from libs.kernel.service import create_service_app
from services.complaints.context import Complaints
from services.complaints.definition import DEFINITION as COMPLAINTS
from tests.complaints.support import ComplaintsApi
from tests.support.service_api import Clock


@pytest.fixture
async def api(stack: DevStack) -> AsyncIterator[ComplaintsApi]:
    settings = COMPLAINTS.settings().with_overrides(role="api")
    app = create_service_app(COMPLAINTS, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    # Monday 23 November 2026, 10:00 in China.
    clock = Clock()
    clock.set_day(date(2026, 11, 23))
    async with app.router.lifespan_context(app):
        app.state.runtime.context = replace(app.state.runtime.context, clock=clock)
        ctx = app.state.runtime.context
        assert isinstance(ctx, Complaints)
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://complaints", timeout=60) as http:
            yield ComplaintsApi(http, tokens, app.state.db, clock, ctx, app)
