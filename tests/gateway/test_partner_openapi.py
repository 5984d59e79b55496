"""The partner OpenAPI document (`GET /api/v1/partner-openapi.json`): it describes exactly the partner endpoints of
CONTRACTS.md §2–§5 plus the token endpoint, each guarded by a bearer token with its scope, every error as a problem;
schema names stay unique across services; the running gateway serves it without a token, and a service that cannot
give its own document makes it a 502 problem rather than a partial document."""

from __future__ import annotations

import importlib
import os
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.core.result import Err, Ok

from gateway.main import create_app
from gateway.partner_openapi import PATH, TOKEN_PATH, assemble, partner_services
from libs.devstack.processes import free_port
from libs.devstack.stack import DevStack
from tests.gateway.harness import RunningGateway, ServiceProcess, assert_problem, gateway_settings, running_gateway

# CONTRACTS.md §2–§5 as built (the satisfaction survey, the delivery log, a roster by id and a feed's rejects are
# the services' additions to the contract).
PARTNER_OPERATIONS = {
    ("post", "/api/v1/hotline/work-orders"): "hotline",
    ("get", "/api/v1/hotline/work-orders/{work_order_no}"): "hotline",
    ("post", "/api/v1/hotline/work-orders/{work_order_no}/satisfaction"): "hotline",
    ("get", "/api/v1/hotline/deliveries"): "hotline",
    ("get", "/api/v1/finance/rosters"): "finance",
    ("get", "/api/v1/finance/rosters/{roster_id}"): "finance",
    ("get", "/api/v1/finance/rosters/{roster_id}/lines"): "finance",
    ("get", "/api/v1/finance/rosters/{roster_id}/lines.csv"): "finance",
    ("post", "/api/v1/finance/rosters/{roster_id}/payment-results"): "finance",
    ("get", "/api/v1/province/recipients"): "province",
    ("post", "/api/v1/province/warnings"): "province",
    ("post", "/api/v1/matching/feeds"): "registry_feed",
    ("get", "/api/v1/matching/feeds/{feed_id}"): "registry_feed",
    ("get", "/api/v1/matching/feeds/{feed_id}/rejects"): "registry_feed",
    ("post", "/api/v1/matching/feeds/uploads"): "registry_feed",
    ("put", "/api/v1/matching/feeds/uploads/{feed_id}"): "registry_feed",
}
PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _service_documents() -> dict[str, dict[str, Any]]:
    """Each partner service's own document, from its real app (what its `/openapi.json` serves)."""
    documents = {}
    for name in partner_services():
        app: FastAPI = importlib.import_module(f"services.{name}.main").create_app()
        documents[name] = app.openapi()
    return documents


def _operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, item in document["paths"].items() for method, op in item.items()}


def _refs(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def test_the_document_is_every_partner_endpoint_and_the_token_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    # The apps are built from the environment; without the session's stack (this test alone), give them secrets.
    for name, value in {"JIUZHU_INTERNAL_TOKEN_SECRET": "i" * 40, "JIUZHU_PII_KEY": "p" * 40,
                        "GATEWAY_JWT_SECRET": "j" * 40, "JIUZHU_ENVIRONMENT": "test"}.items():  # fmt: skip
        monkeypatch.setenv(name, os.environ.get(name, value))
    document = assemble(create_app().openapi(), _service_documents())
    operations = _operations(document)

    assert set(operations) == {*PARTNER_OPERATIONS, ("post", TOKEN_PATH)}
    assert document["openapi"] == "3.1.0"
    bearer = document["components"]["securitySchemes"]["bearer"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    for key, scope in PARTNER_OPERATIONS.items():
        operation = operations[key]
        assert operation["security"] == [{"bearer": [scope]}], key
        # Every error is a problem: the gateway's own refusals and the service's, never FastAPI's default shape.
        errors = {status: r for status, r in operation["responses"].items() if status[0] in "45"}
        assert {"401", "403", "4XX", "502", "504"} <= set(errors), key
        assert all(response["content"] == PROBLEM_CONTENT for response in errors.values()), key
    token = operations[("post", TOKEN_PATH)]
    assert token["security"] == []
    assert "application/x-www-form-urlencoded" in token["requestBody"]["content"]
    assert token["responses"]["401"]["content"] == PROBLEM_CONTENT
    # Registry feeds are streamed CSV or NDJSON, not JSON.
    assert set(operations[("post", "/api/v1/matching/feeds")]["requestBody"]["content"]) == {
        "text/csv",
        "application/x-ndjson",
    }
    # Self-contained: every reference resolves, and nothing of the staff APIs or FastAPI's validation error leaks in.
    schemas = document["components"]["schemas"]
    assert {ref.removeprefix("#/components/schemas/") for ref in _refs(document)} <= set(schemas)
    assert "HTTPValidationError" not in schemas
    assert not [path for path in document["paths"] if path.startswith(("/api/v1/admin", "/api/v1/complaints"))]
    # A tool that reads OpenAPI loads it, operations included.
    results = list(schemathesis.openapi.from_dict(document).get_all_operations())
    assert all(isinstance(result, Ok) for result in results), [r.err() for r in results if isinstance(r, Err)]
    assert {(r.ok().method.lower(), r.ok().path) for r in results if isinstance(r, Ok)} == set(operations)


def _service(paths: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": paths, "components": {"schemas": schemas}}


def _get(ref: str) -> dict[str, Any]:
    return {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": ref}}}}}}}


def test_schemas_of_the_same_name_from_two_services_stay_apart() -> None:
    item_a = {"type": "object", "properties": {"a": {"type": "string"}}}
    item_b = {"type": "object", "properties": {"b": {"type": "integer"}}}
    page = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}},
    }
    empty = _service({}, {})
    documents = {name: empty for name in partner_services()}
    documents["complaints"] = _service(
        {"/api/v1/hotline/deliveries": _get("#/components/schemas/Page"),
         "/api/v1/complaints/staff-only": _get("#/components/schemas/Unused")},
        {"Page": page, "Item": item_a, "Unused": {"type": "object"}},
    )  # fmt: skip
    documents["disbursement"] = _service(
        {"/api/v1/finance/rosters": _get("#/components/schemas/Page")}, {"Page": page, "Item": item_b}
    )

    document = assemble({"paths": {}}, documents)

    schemas = document["components"]["schemas"]
    assert schemas["Item"] == item_a
    assert schemas["disbursement_Item"] == item_b
    # The same Page text, but its items are another Item: it is qualified too, and points at its own Item.
    assert schemas["disbursement_Page"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/disbursement_Item"
    }
    finance = document["paths"]["/api/v1/finance/rosters"]["get"]
    assert finance["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/disbursement_Page"
    }
    assert "Unused" not in schemas
    assert list(document["paths"]) == ["/api/v1/hotline/deliveries", "/api/v1/finance/rosters"]


async def test_the_gateway_serves_it_without_a_token(gateway: RunningGateway) -> None:
    async with gateway.client() as client:
        reply = await client.get(PATH)
    assert reply.status_code == 200, reply.text
    assert reply.headers["cache-control"].startswith("public")
    paths = reply.json()["paths"]
    # In these tests every service but complaints is the real intake process: the hotline operations come from
    # complaints, the provincial warnings from intake, and intake's document is not taken for the other services.
    assert {"/api/v1/hotline/work-orders", "/api/v1/province/warnings", TOKEN_PATH} <= set(paths)
    assert not [path for path in paths if path.startswith(("/api/v1/finance", "/api/v1/matching"))]
    assert "/api/v1/intake/applications" not in paths


async def test_a_service_that_cannot_give_its_document_is_a_502(stack: DevStack, intake: ServiceProcess) -> None:
    settings = gateway_settings(stack, intake.url, disbursement_url=f"http://127.0.0.1:{free_port()}")
    async with running_gateway(settings) as gw, gw.client() as client:
        reply = await client.get(PATH)
    body = assert_problem(reply, 502, "service_unavailable")
    assert body["service"] == "disbursement"
