"""The staff APIs as the staff fuzzing sees them (tests/e2e/test_fuzz_staff.py): which operations there are, and who
calls each one.

The operations are the staff ones of each service's own document (its `/openapi.json`, read as the gateway reads it,
with an internal token; only the paths the gateway's route table sends to that service for staff) and the gateway's
own `/api/v1/admin/*` and `/api/v1/auth/*`. Each is called by the county officer of the fuzzed county where the
officer's roles reach, else by the system administrator of its province; the token and revocation endpoints by nobody
signed in, the password change by an account made for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
import requests
import schemathesis
from requests.adapters import HTTPAdapter

from gateway.public_paths import PUBLIC_PREFIX
from gateway.routes import resolve
from libs.kernel.api_docs import DOCS_READER
from libs.kernel.auth import INTERNAL_HEADER, InternalTokens
from tests.e2e.fuzz_county import FuzzCounty, token_of
from tests.e2e.fuzzing import CONFIG
from tests.e2e.system import SERVICES, WholeSystem

Json = dict[str, Any]
ORIGINS = (*SERVICES, "gateway")
GATEWAY_PREFIXES = ("/api/v1/admin/", "/api/v1/auth/")
ANONYMOUS = ("/api/v1/auth/token", "/api/v1/auth/revoke")
PASSWORD_CHANGE = "/api/v1/auth/password"
# Only a national administrator reads or moves these (the training clock moves every region's date): the fuzzing's
# administrator, of one province, is refused every time, as it must be; tests/e2e/test_training_clock.py calls them.
NATIONAL_ONLY = ("/api/v1/admin/clock",)
# Where sign-ins and password changes of the fuzzing come from: their failures count against this address only, so
# no other test's sign-in from 127.0.0.1 is ever refused for them.
SOURCE_ADDRESS = "127.0.0.23"
_METHODS = ("get", "put", "post", "patch", "delete")


@dataclass(frozen=True, order=True)
class Operation:
    origin: str  # a service, "gateway", or "partner" (the partner document)
    method: str
    path: str


@dataclass(frozen=True)
class JsonOperation:
    """An operation taking a JSON body: its body schema, its document's component schemas, and the caller's token."""

    op: Operation
    schema: Json
    components: Json
    token: str | None


@dataclass
class StaffApi:
    base_url: str
    documents: dict[str, Json]  # origin → its staff document
    schemas: dict[str, schemathesis.BaseSchema]
    partner_document: Json
    fuzz: FuzzCounty
    tokens: dict[Operation, str | None]  # the token each operation is called with (None: none)

    def operations(self, origin: str) -> list[Operation]:
        paths = self.documents[origin]["paths"]
        return sorted(Operation(origin, method.upper(), path) for path, item in paths.items() for method in item)

    def takes_input(self, op: Operation) -> bool:
        """Whether the operation has parameters or a body to vary (without, one request is all there is to send)."""
        described = self.documents[op.origin]["paths"][op.path][op.method.lower()]
        return bool(described.get("parameters") or described.get("requestBody"))

    def json_operations(self) -> list[JsonOperation]:
        """Every operation taking a JSON body: the staff ones, and the partner ones with a client of their scope."""
        found = []
        for origin, document in [*self.documents.items(), ("partner", self.partner_document)]:
            components = document.get("components", {}).get("schemas", {})
            for path, item in document["paths"].items():
                for method, described in item.items():
                    content = described.get("requestBody", {}).get("content", {})
                    schema = content.get("application/json", {}).get("schema")
                    if schema is not None:
                        op = Operation(origin, method.upper(), path)
                        found.append(JsonOperation(op, schema, components, self._token(op)))
        return found

    def _token(self, op: Operation) -> str | None:
        if op.origin != "partner":
            return self.tokens[op]
        route = resolve(op.path)
        assert route is not None
        assert route.scope is not None
        return token_of(self.fuzz.partners[route.scope.value])


class _FromOwnAddress(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs, source_address=(SOURCE_ADDRESS, 0))


def own_address_session() -> requests.Session:
    """A `requests` session whose connections come from `SOURCE_ADDRESS`."""
    session = requests.Session()
    session.mount("http://", _FromOwnAddress())
    return session


def filled(path: str, known: dict[str, str]) -> str:
    """The path with its parameters filled: a thing of the county where one exists, else a name nothing has."""
    return re.sub(r"\{(\w+)\}", lambda m: known.get(m.group(1), "2100" if m.group(1) == "year" else "fz-none"), path)


def _staff_paths(origin: str, spec: Json) -> Json:
    """The staff operations of a document: a service's under its staff routes, the gateway's admin and auth ones."""
    kept: Json = {}
    for path, item in spec.get("paths", {}).items():
        if origin == "gateway":
            staff = path.startswith(GATEWAY_PREFIXES)
        else:
            route = resolve(path)
            staff = route is not None and route.scope is None and route.service == origin
            # The public page (信息公开) is for anyone, not staff (its own tests: tests/gateway/test_public_page.py).
            staff = staff and not path.startswith(PUBLIC_PREFIX)
        if staff:
            kept[path] = {method: op for method, op in item.items() if method in _METHODS}
    return {**spec, "paths": kept}


async def _documents(system: WholeSystem) -> dict[str, Json]:
    # As the gateway reads them (gateway.partner_openapi): in production a service shows its document only to it.
    docs_token = InternalTokens(system.env["JIUZHU_INTERNAL_TOKEN_SECRET"]).sign(DOCS_READER)
    documents: dict[str, Json] = {}
    async with httpx.AsyncClient(timeout=60) as http:
        for name, api in system.apis.items():
            reply = await http.get(f"{api.url}/openapi.json", headers={INTERNAL_HEADER: docs_token})
            assert reply.status_code == 200, (name, reply.status_code)
            documents[name] = _staff_paths(name, reply.json())
        reply = await http.get(f"{system.base_url}/openapi.json")
        assert reply.status_code == 200, reply.status_code
        documents["gateway"] = _staff_paths("gateway", reply.json())
    return documents


async def _tokens(fuzz: FuzzCounty, operations: list[Operation]) -> dict[Operation, str | None]:
    officer, admin = token_of(fuzz.officer), token_of(fuzz.admin)
    tokens: dict[Operation, str | None] = {}
    for op in operations:
        if op.path in ANONYMOUS:
            tokens[op] = None
        elif op.path == PASSWORD_CHANGE:
            tokens[op] = token_of(fuzz.changer)
        elif op.origin == "gateway":
            tokens[op] = admin
        else:
            # The officer asks first, naming nothing (so no roster is locked by the question): the role check comes
            # before any lookup, and a 403 `role_required` sends the operation to the administrator.
            first = await fuzz.officer.http.request(op.method, filled(op.path, {}))
            assert first.status_code < 500, (op, first.status_code, first.text[:300])
            refused = first.status_code == 403 and first.json().get("code") == "role_required"
            tokens[op] = admin if refused else officer
    return tokens


async def staff_api(system: WholeSystem, fuzz: FuzzCounty) -> StaffApi:
    documents = await _documents(system)
    schemas: dict[str, schemathesis.BaseSchema] = {
        origin: schemathesis.openapi.from_dict(doc, config=CONFIG) for origin, doc in documents.items()
    }
    async with system.client() as anonymous:
        partner = await anonymous.get("/api/v1/partner-openapi.json")
    assert partner.status_code == 200, partner.text
    api = StaffApi(system.base_url, documents, schemas, partner.json(), fuzz, {})
    api.tokens = await _tokens(fuzz, [op for origin in ORIGINS for op in api.operations(origin)])
    return api
