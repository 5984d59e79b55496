"""Who may read a process's API description (`/docs`, `/openapi.json`).

Locally and in tests everyone may (the README's `make run` link, the schemathesis runs). In production the Swagger page
is not served and a service's `/openapi.json` only to the gateway, which assembles the partner document from it
(gateway.partner_openapi): an outsider who reaches a service's port learns nothing about its staff API. `expose_docs`
overrides either way.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from libs.kernel.auth import INTERNAL_HEADER, InternalTokens, Principal, PrincipalKind
from libs.kernel.errors import NotFound, Unauthorized
from libs.kernel.settings import BaseServiceSettings

OPENAPI_PATH = "/openapi.json"

# What the gateway presents to read a service's description: a partner client with no scope and a jurisdiction that
# covers no region code (region codes are digits), so the token opens nothing else.
DOCS_READER = Principal("gateway:api-docs", PrincipalKind.client, "gateway (API descriptions)", region_prefix="x")


def docs_routes(settings: BaseServiceSettings) -> dict[str, Any]:
    """FastAPI's `docs_url`, `redoc_url` and `openapi_url`: FastAPI's defaults when exposed, none otherwise."""
    if settings.docs_exposed:
        return {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": OPENAPI_PATH}
    return {"docs_url": None, "redoc_url": None, "openapi_url": None}


def add_internal_openapi(app: FastAPI, tokens: InternalTokens) -> None:
    """`/openapi.json` for a caller holding a valid internal token (the gateway), a 404 for anyone else."""

    @app.get(OPENAPI_PATH, include_in_schema=False)
    async def openapi(request: Request) -> JSONResponse:
        token = request.headers.get(INTERNAL_HEADER)
        if not token:
            raise NotFound("Not found")
        try:
            tokens.verify(token)
        except Unauthorized as exc:
            raise NotFound("Not found") from exc
        return JSONResponse(app.openapi())
