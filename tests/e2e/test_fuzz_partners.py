"""Every partner endpoint, fuzzed through the real gateway with schemathesis (CONTRACTS.md, common rules): a malformed
or invalid request is a 4xx problem (`application/problem+json` with its `status` and a `code`), never a 500, and
whatever is answered conforms to the published partner document (status codes, content types, response bodies).

The document is the one the running gateway publishes (`GET /api/v1/partner-openapi.json`, assembled from the
services' own documents). Each scope's operations are called with a token of a partner client holding that scope in a
fresh county: schemathesis generates valid requests (mostly steered to the client's own regions, to valid identity
numbers and to a work order and a feed that exist, so they get past the jurisdiction and identity checks to the
service's own handling) and invalid ones (which must be refused with a 4xx). Examples are bounded and derandomised, so
a run is reproducible and short (tests/e2e/fuzzing.py).

What it found is pinned by its own tests: NUL (U+0000) anywhere in a request was a 500 from PostgreSQL in four
services (tests/kernel/test_text_guard.py, and below); a work order received in year 1 or 9999 overflowed
(tests/complaints/test_fuzz_findings.py); `updated_since=0` was read as 1970 (tests/casework/test_province.py).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from libs.demo_county.intake import fictional_id
from tests.e2e.fuzzing import CONFIG, Case, examples, fuzz_operation, problem_details
from tests.e2e.system import WholeSystem, new_county

SCOPES = ("hotline", "finance", "province", "registry_feed")
# CONTRACTS.md §2–§5 as built, by scope: the fuzzing must reach every one of them.
PARTNER_OPERATIONS: dict[str, set[tuple[str, str]]] = {
    "hotline": {
        ("POST", "/api/v1/hotline/work-orders"),
        ("GET", "/api/v1/hotline/work-orders/{work_order_no}"),
        ("POST", "/api/v1/hotline/work-orders/{work_order_no}/satisfaction"),
        ("GET", "/api/v1/hotline/deliveries"),
    },
    "finance": {
        ("GET", "/api/v1/finance/rosters"),
        ("GET", "/api/v1/finance/rosters/{roster_id}"),
        ("GET", "/api/v1/finance/rosters/{roster_id}/lines"),
        ("GET", "/api/v1/finance/rosters/{roster_id}/lines.csv"),
        ("POST", "/api/v1/finance/rosters/{roster_id}/payment-results"),
    },
    "province": {("GET", "/api/v1/province/recipients"), ("POST", "/api/v1/province/warnings")},
    "registry_feed": {
        ("POST", "/api/v1/matching/feeds"),
        ("GET", "/api/v1/matching/feeds/{feed_id}"),
        ("GET", "/api/v1/matching/feeds/{feed_id}/rejects"),
        ("POST", "/api/v1/matching/feeds/uploads"),
        ("PUT", "/api/v1/matching/feeds/uploads/{feed_id}"),
    },
}
EXAMPLES = examples(40)
# Feed headers a valid upload may start with, so generated rows reach the row parser rather than the header check.
FEED_HEADERS = {
    "death": "id_number,name,event_date",
    "pension": "id_number,name,status,monthly_amount",
    "vehicle": "id_number,name,plate,vehicle_type,registered_at,deregistered",
}

# Registry feeds are NDJSON too; schemathesis sends text/csv as text already.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    problem_details,
]


@dataclass
class Partner:
    scope: str
    token: str
    county: str
    people: list[str]  # fictional identity numbers of the county, valid ones
    # Path parameters of things that exist and are this client's, so some requests reach them.
    known: dict[str, str] = field(default_factory=dict)

    @property
    def regions(self) -> list[str]:
        return [self.county, f"{self.county}001", f"{self.county}001001"]


@dataclass
class PartnerApi:
    base_url: str
    schema: schemathesis.BaseSchema
    partners: dict[str, Partner]


def _work_order(village: str) -> dict[str, Any]:
    return {
        "work_order_no": f"FZ{uuid.uuid4().hex[:12].upper()}",
        "received_at": "2026-11-23T09:15:00+08:00",
        "channel": "phone",
        "category": "consultation",
        "title": "咨询低保申请条件",
        "content": "来电人咨询低保申请需要哪些材料。",
        "region_code": village,
        "caller": {"name": "来电人", "phone": None, "id_number": None, "anonymous": True},
        "due_at": "2026-11-30T18:00:00+08:00",
        "raw": {},
    }


@pytest.fixture(scope="module")
async def partner_api(whole_system: WholeSystem) -> PartnerApi:
    async with whole_system.client() as anonymous:
        reply = await anonymous.get("/api/v1/partner-openapi.json")
    assert reply.status_code == 200, reply.text
    schema = schemathesis.openapi.from_dict(reply.json(), config=CONFIG)
    partners: dict[str, Partner] = {}
    for scope in SCOPES:
        county = new_county()
        actor = await whole_system.partner(scope, county)
        token = str(actor.http.headers["authorization"]).removeprefix("Bearer ")
        people = [fictional_id(born, "021", county) for born in ("1950-01-01", "1988-06-30")]
        whole_system.remember_personal_data(people)
        partners[scope] = Partner(scope, token, county, people)
    # Something of each kind that exists, so path parameters can name it.
    hotline = partners["hotline"]
    async with whole_system.client(hotline.token) as http:
        order = _work_order(f"{hotline.county}001001")
        created = await http.post("/api/v1/hotline/work-orders", json=order)
    assert created.status_code == 201, created.text
    hotline.known["work_order_no"] = order["work_order_no"]
    feeder = partners["registry_feed"]
    async with whole_system.client(feeder.token) as http:
        feed = await http.post(
            "/api/v1/matching/feeds",
            params={"source": "death", "as_of": "2026-11-20"},
            content=f"{FEED_HEADERS['death']}\n{feeder.people[0]},测试,2026-11-10\n,缺号码,2026-11-10\n".encode(),
            headers={"Content-Type": "text/csv"},
        )
    assert feed.status_code == 202, feed.text
    feeder.known["feed_id"] = feed.json()["feed_id"]
    return PartnerApi(whole_system.base_url, schema, partners)


def _often(data: st.DataObject, label: str) -> bool:
    return data.draw(st.integers(0, 3), label=label) > 0


def _steer_body(value: Any, partner: Partner, data: st.DataObject) -> None:
    """Valid identity numbers and the client's regions in a generated JSON body, most of the time."""
    if isinstance(value, list):
        for item in value:
            _steer_body(item, partner, data)
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if key == "region_code" and isinstance(item, str) and _often(data, "in region"):
            value[key] = data.draw(st.sampled_from(partner.regions), label="region")
        elif key == "id_number" and isinstance(item, str) and _often(data, "valid id"):
            value[key] = data.draw(st.sampled_from(partner.people), label="id_number")
        else:
            _steer_body(item, partner, data)


def _steer(case: Case, partner: Partner, data: st.DataObject) -> None:
    """Point a valid request at the client's own regions, people and things most of the time, so it gets past the
    jurisdiction check and the identity number check to the service's own handling (only valid requests: an invalid
    one must stay invalid)."""
    for name, value in partner.known.items():
        if case.path_parameters and name in case.path_parameters and _often(data, name):
            case.path_parameters[name] = value
    if isinstance(case.query, dict) and "region_code" in case.query and _often(data, "in region"):
        case.query["region_code"] = data.draw(st.sampled_from(partner.regions), label="region")
    _steer_body(case.body, partner, data)
    if case.operation.path == "/api/v1/matching/feeds" and isinstance(case.body, str) and _often(data, "header"):
        source = data.draw(st.sampled_from(sorted(FEED_HEADERS)), label="source")
        case.query = {**(case.query or {}), "source": source}
        case.body = f"{FEED_HEADERS[source]}\n{case.body}"


async def test_the_document_covers_every_partner_endpoint(partner_api: PartnerApi) -> None:
    published = {
        scope: {
            (method.upper(), path)
            for path, item in partner_api.schema.raw_schema["paths"].items()
            for method, operation in item.items()
            if operation.get("security") == [{"bearer": [scope]}]
        }
        for scope in SCOPES
    }
    assert published == PARTNER_OPERATIONS


async def test_without_a_token_or_with_another_scope_every_operation_is_refused(
    partner_api: PartnerApi, whole_system: WholeSystem
) -> None:
    """401 without a token and 403 with another scope's, before any service sees the request: both problems."""
    other = {"hotline": "finance", "finance": "province", "province": "registry_feed", "registry_feed": "hotline"}
    for scope, operations in PARTNER_OPERATIONS.items():
        wrong = partner_api.partners[other[scope]].token
        for method, path in sorted(operations):
            url = path.replace("{", "").replace("}", "")  # any value will do: refused before it is read
            async with whole_system.client() as anonymous, whole_system.client(wrong) as stranger:
                missing = await anonymous.request(method, url)
                foreign = await stranger.request(method, url)
            for reply, status, code in ((missing, 401, "missing_token"), (foreign, 403, "scope_required")):
                assert reply.status_code == status, (method, path, reply.text)
                assert reply.headers["content-type"].startswith("application/problem+json"), (method, path)
                assert reply.json()["code"] == code, (method, path, reply.text)


async def test_nul_anywhere_is_a_422_problem_on_every_service(
    partner_api: PartnerApi, whole_system: WholeSystem
) -> None:
    """What the fuzzing found: NUL (U+0000) in a path, a query or a JSON string was a 500 from PostgreSQL in four
    services. It is refused as invalid input now (libs/kernel/text_guard.py), naming where it was."""
    partners = partner_api.partners
    hotline, finance, province, feeder = (partners[s] for s in SCOPES)
    order = {**_work_order(f"{hotline.county}001001"), "title": "反映\x00问题"}
    warning = {"warning_id": "YJ-NUL-1", "raised_at": "2026-11-23T09:15:00+08:00", "region_code": province.county,
               "kind": "other", "person": {"id_number": province.people[0], "name": "吴\x00德福"}}  # fmt: skip
    results = {"results": [{"line_id": "l\x00", "status": "paid", "paid_at": "2026-12-01T10:00:00+08:00"}]}
    requests_: list[tuple[Partner, str, str, dict[str, Any], list[Any]]] = [
        (hotline, "POST", "/api/v1/hotline/work-orders", {"json": order}, ["body", "title"]),
        (finance, "GET", "/api/v1/finance/rosters", {"params": {"status": "submitted\x00"}}, ["query", "status"]),
        (finance, "GET", "/api/v1/finance/rosters/r%00", {}, ["path"]),
        (finance, "GET", "/api/v1/finance/rosters/r%00/lines", {}, ["path"]),
        (finance, "POST", "/api/v1/finance/rosters/r1/payment-results", {"json": results},
         ["body", "results", 0, "line_id"]),
        (province, "POST", "/api/v1/province/warnings", {"json": warning}, ["body", "person", "name"]),
        (feeder, "GET", "/api/v1/matching/feeds/f%00", {}, ["path"]),
        (feeder, "GET", "/api/v1/matching/feeds/f%00/rejects", {}, ["path"]),
    ]  # fmt: skip
    for partner, method, url, kwargs, loc in requests_:
        async with whole_system.client(partner.token) as http:
            reply = await http.request(method, url, **kwargs)
        assert reply.status_code == 422, (method, url, reply.status_code)
        assert reply.headers["content-type"].startswith("application/problem+json"), (method, url)
        problem = reply.json()
        assert (problem["code"], problem["errors"][0]["loc"]) == ("validation_failed", loc), (method, url)
        assert problem["correlation_id"] == reply.headers["x-request-id"]
    async with whole_system.client(hotline.token) as http:
        unknown = await http.get(f"/api/v1/hotline/work-orders/{order['work_order_no']}")
    assert unknown.status_code == 404  # the refused work order was not logged


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("scope", SCOPES)
async def test_fuzzing_finds_no_server_error_and_only_problems(
    partner_api: PartnerApi, scope: str, mode: GenerationMode
) -> None:
    partner = partner_api.partners[scope]
    for method, path in sorted(PARTNER_OPERATIONS[scope]):
        steer = (lambda case, data: _steer(case, partner, data)) if mode is GenerationMode.POSITIVE else None
        # In a thread: schemathesis sends with `requests`, and the session's event loop must stay free.
        statuses = await asyncio.to_thread(
            fuzz_operation,
            partner_api.schema[path][method],
            partner_api.base_url,
            mode,
            headers={"Authorization": f"Bearer {partner.token}"},
            checks=CHECKS,
            max_examples=EXAMPLES,
            steer=steer,
        )
        assert len(statuses) >= EXAMPLES // 2, (method, path, len(statuses))
        # Past the gateway: the service itself answered some (not every request was refused for scope or region).
        assert [s for s in statuses if s not in (401, 403)], (method, path, statuses)
