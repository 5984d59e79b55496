"""Casework's API in process (role api) on the session's real database; a settable clock per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from libs.devstack.stack import DevStack
from libs.kernel.auth import InternalTokens
from libs.kernel.service import create_service_app
from services.casework.definition import DEFINITION as CASEWORK
from tests.casework.support import CaseworkApi, Clock


@pytest.fixture
async def api(stack: DevStack) -> AsyncIterator[CaseworkApi]:
    settings = CASEWORK.settings().with_overrides(role="api")
    app = create_service_app(CASEWORK, settings)
    tokens = InternalTokens(settings.internal_token_secret.get_secret_value())
    clock = Clock()
    async with app.router.lifespan_context(app):
        app.state.runtime.context = replace(app.state.runtime.context, clock=clock)
        transport = httpx.ASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://casework") as http:
            yield CaseworkApi(http, tokens, app.state.db, clock, app.state.runtime.context)
