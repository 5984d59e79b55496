"""The partner OpenAPI document, `GET /api/v1/partner-openapi.json` (CONTRACTS.md §1–§5 as built).

A partner integrator wants one document for everything it may call through the gateway, not five service documents
full of staff routes. It is assembled from each service's own `/openapi.json`, keeping only the operations under the
partner prefixes of the route table (gateway.routes) that the route sends to that service, plus the gateway's token
endpoint. Each partner operation requires a bearer token holding its scope, and every error is described as what it is
on the wire: RFC 9457 problem details (`application/problem+json`), never FastAPI's default `HTTPValidationError`.

The services are asked at most once per `CACHE_SECONDS` (one fetch at a time), so an anonymous caller cannot make the
gateway fan out to every service on each request; a service that does not answer is a 502/504 problem naming it.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.proxy import upstream_problem
from gateway.routes import ROUTES, Route, resolve
from gateway.runtime import Runtime, runtime_of
from gateway.upstream_transport import UPSTREAM_ERRORS
from libs.contracts.staff import Scope
from libs.kernel.api_docs import DOCS_READER
from libs.kernel.auth import INTERNAL_HEADER, internal_tokens
from libs.kernel.errors import PROBLEM_JSON, BadGateway

Json = dict[str, Any]

PATH = "/api/v1/partner-openapi.json"
TOKEN_PATH = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret
SECURITY_SCHEME = "bearer"
CACHE_SECONDS = 60.0
_SCHEMA_REF = "#/components/schemas/"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

PROBLEM_SCHEMA: Json = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details; `code` is stable snake_case, `errors` comes with validation failures.",
    "required": ["type", "title", "status", "detail", "code", "correlation_id"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "correlation_id": {"type": ["string", "null"], "description": "The request's X-Request-ID"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {"type": "array"},
                    "msg": {"type": "string"},
                    "type": {"type": ["string", "null"]},
                },
            },
        },
    },
}

# What the gateway itself may answer on any partner operation, before or instead of the service.
GATEWAY_ERRORS: dict[str, str] = {
    "401": "No access token, or an invalid or expired one (`WWW-Authenticate: Bearer`)",
    "403": "The token lacks the scope, or the request lies outside the client's jurisdiction",
    "4XX": "Any other refused request (malformed, unknown, conflicting): a problem with a precise `code`",
    "502": "The service behind the gateway is unavailable",
    "504": "The service behind the gateway did not answer in time",
}


def partner_routes() -> tuple[Route, ...]:
    return tuple(route for route in ROUTES if route.scope is not None)


def partner_services() -> list[str]:
    """The services whose documents are needed, in route-table order."""
    return list(dict.fromkeys(route.service for route in partner_routes()))


def _problem_response(description: str) -> Json:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": {"$ref": f"{_SCHEMA_REF}Problem"}}}}


def _is_error(status: str) -> bool:
    return status[:1] in ("4", "5")


def with_problems(operation: Json, extra: Mapping[str, str]) -> Json:
    """The operation with every error response described as a problem, plus the errors in `extra` not listed."""
    responses: Json = {}
    for status, response in operation.get("responses", {}).items():
        if _is_error(status):
            responses[status] = _problem_response(str(response.get("description") or "Error"))
        else:
            responses[status] = response
    for status, description in extra.items():
        responses.setdefault(status, _problem_response(description))
    return {**operation, "responses": responses}


def _refs(node: object) -> Iterator[str]:
    """The component schema names referenced anywhere in `node`."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
            yield ref.removeprefix(_SCHEMA_REF)
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _renamed(node: Any, names: Mapping[str, str]) -> Any:
    """A copy of `node` with its component schema references renamed."""
    if isinstance(node, dict):
        copied = {key: _renamed(value, names) for key, value in node.items()}
        ref = copied.get("$ref")
        if isinstance(ref, str) and ref.startswith(_SCHEMA_REF):
            copied["$ref"] = _SCHEMA_REF + names.get(ref.removeprefix(_SCHEMA_REF), ref.removeprefix(_SCHEMA_REF))
        return copied
    if isinstance(node, list):
        return [_renamed(value, names) for value in node]
    return node


def _closure(roots: Json, schemas: Mapping[str, Any]) -> list[str]:
    """The component schemas `roots` needs, directly or through other schemas, in a stable order."""
    needed: dict[str, None] = {}
    pending = list(_refs(roots))
    while pending:
        name = pending.pop(0)
        if name in needed or name not in schemas:
            continue
        needed[name] = None
        pending.extend(_refs(schemas[name]))
    return sorted(needed)


class Document:
    """The document under construction: paths and component schemas, names kept unique across services."""

    def __init__(self) -> None:
        self.paths: Json = {}
        self.schemas: Json = {"Problem": PROBLEM_SCHEMA}
        self.operation_ids: set[str] = set()

    def add(self, origin: str, spec: Json, paths: Json) -> None:
        """Adds `paths` (already transformed) of the document `spec` of `origin` (a service, or the gateway)."""
        own_schemas: Json = spec.get("components", {}).get("schemas", {})
        needed = _closure(paths, own_schemas)
        # Two services may each have a `Page_Item_` or a `Program`: the later one is qualified by its origin, and
        # so is a schema that is the same but refers to a qualified one (its references change).
        qualified = {name for name in needed if name in self.schemas and self.schemas[name] != own_schemas[name]}
        while True:
            more = {
                n for n in needed if n in self.schemas and n not in qualified and set(_refs(own_schemas[n])) & qualified
            }
            if not more:
                break
            qualified |= more
        names = {name: f"{origin}_{name}" if name in qualified else name for name in needed}
        for name, new_name in names.items():
            self.schemas[new_name] = _renamed(own_schemas[name], names)
        for path, item in _renamed(paths, names).items():
            for method, operation in item.items():
                operation_id = operation.get("operationId")
                if isinstance(operation_id, str):
                    if operation_id in self.operation_ids:
                        operation["operationId"] = operation_id = f"{origin}_{operation_id}"
                    self.operation_ids.add(operation_id)
                self.paths.setdefault(path, {})[method] = operation

    def openapi(self, title: str, version: str, description: str, *, token: str) -> Json:
        """The OpenAPI 3.1 document of what was added, under `title`; `token` says where a bearer token comes from."""
        bearer = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": token}
        return {
            "openapi": "3.1.0",
            "info": {"title": title, "version": version, "description": description},
            "paths": self.paths,
            "components": {
                "schemas": dict(sorted(self.schemas.items())),
                "securitySchemes": {SECURITY_SCHEME: bearer},
            },
        }


def _service_paths(service: str, spec: Json) -> Json:
    """The operations of `spec` (the service's own document) that partners reach through the gateway."""
    kept: Json = {}
    for path, item in spec.get("paths", {}).items():
        route = resolve(path)
        if route is None or route.scope is None or route.service != service:
            continue  # staff routes, and paths the gateway sends to another service
        scope: Scope = route.scope
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            operation = with_problems(copy.deepcopy(operation), GATEWAY_ERRORS)
            operation["security"] = [{SECURITY_SCHEME: [scope.value]}]
            description = operation.get("description", "")
            operation["description"] = f"{description}\n\nScope: `{scope.value}`.".strip()
            kept.setdefault(path, {})[method] = operation
    return kept


def assemble(gateway_spec: Json, service_specs: Mapping[str, Json], version: str = "1") -> Json:
    """The partner document from the gateway's own document and each partner service's (name → document)."""
    document = Document()
    token = gateway_spec.get("paths", {}).get(TOKEN_PATH, {})
    token_paths = {
        TOKEN_PATH: {
            method: {**with_problems(copy.deepcopy(operation), {}), "security": []}
            for method, operation in token.items()
            if method in HTTP_METHODS
        }
    }
    document.add("gateway", gateway_spec, token_paths)
    for service in partner_services():
        document.add(service, service_specs[service], _service_paths(service, service_specs[service]))
    scopes = ", ".join(f"`{route.scope.value}` ({route.prefix})" for route in partner_routes() if route.scope)
    return document.openapi(
        "Jiuzhu partner API",
        version,
        "The endpoints partner systems call through the Jiuzhu gateway (CONTRACTS.md). Obtain a token from "
        f"`POST {TOKEN_PATH}` with `grant_type=client_credentials` and send it as `Authorization: Bearer "
        f"<token>`; each operation needs the scope its security requirement names: {scopes}. Every error "
        "is `application/problem+json`.",
        token=f"An access token from `POST {TOKEN_PATH}` (client credentials grant)",
    )


Assemble = Callable[[Json, dict[str, Json], str], Json]


class CachedDocument:
    """An assembled document, cached for `cache_seconds`; only successful assemblies are cached. The services are
    asked one assembly at a time."""

    def __init__(
        self, services: Callable[[Runtime], list[str]], assemble: Assemble, cache_seconds: float = CACHE_SECONDS
    ) -> None:
        self._services = services
        self._assemble = assemble
        self._cache_seconds = cache_seconds
        self._document: Json | None = None
        self._built_at = 0.0
        self._lock = asyncio.Lock()

    async def document(self, rt: Runtime, gateway_spec: Json, version: str) -> Json:
        async with self._lock:
            if self._document is None or time.monotonic() - self._built_at > self._cache_seconds:
                services = self._services(rt)
                specs = await asyncio.gather(*(fetch_description(rt, service) for service in services))
                self._document = self._assemble(gateway_spec, dict(zip(services, specs, strict=True)), version)
                self._built_at = time.monotonic()
            return self._document


async def fetch_description(rt: Runtime, service: str) -> Json:
    try:
        # In production a service gives its description only to the gateway (libs.kernel.api_docs).
        token = internal_tokens(rt.settings).sign(DOCS_READER)
        reply = await rt.upstream.get(f"{rt.upstream_urls[service]}/openapi.json", headers={INTERNAL_HEADER: token})
    except UPSTREAM_ERRORS as exc:
        raise upstream_problem(service, exc) from exc
    if reply.status_code != 200:
        raise BadGateway(f"The {service} service did not give its API description", service=service)
    spec = reply.json()
    if not isinstance(spec, dict):
        raise BadGateway(f"The {service} service gave an API description that is not a JSON object", service=service)
    return spec


def partner_openapi_router() -> APIRouter:
    """The route, with its own cache (one per app)."""
    router = APIRouter(tags=["partners"])
    cache = CachedDocument(lambda _rt: partner_services(), assemble)

    @router.get(
        PATH,
        summary="The partner OpenAPI document",
        responses={
            200: {"description": "OpenAPI 3.1 document of every partner endpoint and the token endpoint"},
            502: {"description": "A service did not give its API description", "content": {PROBLEM_JSON: {}}},
            504: {"description": "A service did not answer in time", "content": {PROBLEM_JSON: {}}},
        },
    )
    async def partner_openapi(request: Request) -> JSONResponse:
        """Every endpoint a partner system calls through the gateway, with its scope; no token needed."""
        app = request.app
        document = await cache.document(runtime_of(request.scope), app.openapi(), app.version)
        return JSONResponse(document, headers={"Cache-Control": f"public, max-age={int(CACHE_SECONDS)}"})

    return router
