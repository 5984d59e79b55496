"""`/docs` and `/redoc`: one OpenAPI document of every staff and partner endpoint behind the gateway.

Assembled as the partner document is (gateway.partner_openapi), from the gateway's own document and each service's,
keeping what the route table sends to that service: a staff operation needs a staff access token (its role and
jurisdiction are then checked by the service), a partner operation the scope its route names. Swagger UI and ReDoc
load their scripts and styles from the gateway itself (`/docs/assets`, from the fastapi-offline wheel): a government
extranet reaches no CDN.

Served where API descriptions are (libs.kernel.api_docs): locally and in tests, and in production only with
`expose_docs`; the partner document stays public everywhere.
"""

from __future__ import annotations

import copy
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from gateway.partner_openapi import (
    GATEWAY_ERRORS,
    HTTP_METHODS,
    SECURITY_SCHEME,
    TOKEN_PATH,
    CachedDocument,
    Document,
    Json,
    with_problems,
)
from gateway.partner_openapi import (
    PATH as PARTNER_PATH,
)
from gateway.public_paths import PUBLIC_PREFIX
from gateway.routes import resolve
from gateway.runtime import runtime_of

PATH = "/api/v1/openapi.json"
ASSETS_PATH = "/docs/assets"
ASSETS = Path(fastapi_offline.__file__).parent / "static"
# The gateway's own endpoints anyone may call: signing in, the error catalogue, the partner document.
_OPEN = (TOKEN_PATH, "/api/v1/auth/revoke", "/api/v1/errors", PARTNER_PATH, PATH)


def _gateway_paths(spec: Json) -> Json:
    kept: Json = {}
    for path, item in spec.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            described = with_problems(copy.deepcopy(operation), {})
            described["security"] = [] if path in _OPEN else [{SECURITY_SCHEME: []}]
            kept.setdefault(path, {})[method] = described
    return kept


def _service_paths(service: str, spec: Json) -> Json:
    """Every operation of the service the gateway routes to it, staff and partner alike, with what it needs."""
    kept: Json = {}
    for path, item in spec.get("paths", {}).items():
        route = resolve(path)
        if route is None or route.service != service:
            continue  # a service's own internals (health, diagnostics under no route) and paths sent elsewhere
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            described = with_problems(copy.deepcopy(operation), GATEWAY_ERRORS)
            needs = "a staff access token (the service checks the role and the jurisdiction)"
            described["security"] = [{SECURITY_SCHEME: []}]
            if route.scope is not None:
                needs = f"a partner access token with the scope `{route.scope.value}`"
                described["security"] = [{SECURITY_SCHEME: [route.scope.value]}]
            if path.startswith(PUBLIC_PREFIX):
                needs = "no token: the public page (信息公开), limited per client address (429 `public_rate_limited`)"
                described["security"] = []
            described["description"] = f"{described.get('description', '')}\n\nNeeds {needs}.".strip()
            kept.setdefault(path, {})[method] = described
    return kept


def assemble_all(gateway_spec: Json, service_specs: dict[str, Json], version: str) -> Json:
    document = Document()
    document.add("gateway", gateway_spec, _gateway_paths(gateway_spec))
    for service, spec in service_specs.items():
        document.add(service, spec, _service_paths(service, spec))
    return document.openapi(
        "Jiuzhu API",
        version,
        "Every endpoint behind the Jiuzhu gateway: what staff and the console call, and what partner systems "
        f"call. Sign in with `POST {TOKEN_PATH}` (`grant_type=password` for staff, `client_credentials` for "
        "partners) and send the token as `Authorization: Bearer <token>`. Every error is "
        "`application/problem+json` with a stable `code`, listed with its Chinese message at `/api/v1/errors`.",
        token=f"An access token from `POST {TOKEN_PATH}`",
    )


def install_api_docs(app: FastAPI) -> None:
    """The merged document and the two readers of it, with their assets."""
    cache = CachedDocument(lambda rt: list(rt.upstream_urls), assemble_all)

    @app.get(PATH, include_in_schema=False)
    async def api_document(request: Request) -> JSONResponse:
        return JSONResponse(await cache.document(runtime_of(request.scope), app.openapi(), app.version))

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=PATH,
            title="Jiuzhu API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url=PATH, title="Jiuzhu API", redoc_js_url=f"{ASSETS_PATH}/redoc.standalone.js",
                              redoc_favicon_url=f"{ASSETS_PATH}/favicon.png", with_google_fonts=False)  # fmt: skip

    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS), name="docs-assets")
