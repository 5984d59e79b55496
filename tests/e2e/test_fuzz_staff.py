"""Every staff operation, fuzzed through the real gateway with schemathesis, and every JSON body made deep and large
(issue 17: "schemathesis extended to the staff APIs with bodies deep and large").

The operations are the staff ones of every service's own document and the gateway's `/api/v1/admin/*` and
`/api/v1/auth/*` (tests/e2e/staff_api.py). A county officer of a fresh county calls them, or, where the officer's
roles do not reach (the system administrators' operations, the accounts), a system administrator whose jurisdiction
is that county's province. Valid requests are steered most of the time to the county's regions, people and things (an
application, its case, a household with its payment file, a lead, a complaint, a roster, a hold, a filing, accounts
made for the purpose: tests/e2e/fuzz_county.py), so they get past the jurisdiction checks into the services' own
handling; invalid ones must be refused. The fuzzing is kept from harming other tests (tests/e2e/staff_steering.py),
and its sign-in failures count against an address of its own. Checks: never a 5xx; every 4xx is
`application/problem+json` with its `status` and a `code`; invalid data is refused. Examples are bounded and
derandomised, with the knobs of the partner fuzzing (`JIUZHU_FUZZ_EXAMPLES`, `JIUZHU_FUZZ_SEED`: tests/e2e/fuzzing.py).

Then, for every operation that takes a JSON body (staff and partner): JSON nested 100,000 deep and a body one byte
over the 4 MiB limit, each with a Content-Length and chunked; a body of the operation's shape with a huge string (up to
1 MiB) in every free-text field; and each body the county was set up with, one string at a time made 1 MiB long. Each
is a 4xx problem (`too_deep`, `payload_too_large`, or a 422 naming every huge field), nothing of it is stored, every
process stays up and the gateway's memory stays bounded (as tests/gateway/test_body_limits.py measures it).

What it found is pinned by its own tests:
- A number was taken for a date, as seconds since 1970: the standards in force "on" `8.4193615835529e-307` were those
  of 1970-01-01, and `effective_from: 86400` was 1970-01-02. Every bounded date and instant refuses a number now
  (libs/contracts/dates.py; tests/casework/test_fuzz_findings.py, tests/contracts/test_dates.py).
- The most probes a request may ask for (10,000) were 20,000 round trips to the database: on a loaded machine the
  request outlasted the gateway's 30 s, a 504. They are written together (libs/kernel/outbox.py `add_many`;
  tests/kernel/test_diagnostics_api.py).
No staff operation answered a 500, and no field took a huge string.
"""

from __future__ import annotations

import asyncio

import httpx
import psutil
import pytest
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.routes import GATEWAY_WRITES, ROUTES
from libs.kernel.input_guard import DEFAULT_BODY_LIMIT
from tests.e2e.body_bombs import (
    deep_json,
    huge_bodies,
    huge_in_valid,
    just_over,
    marker,
    raw_send,
    stored_marks,
    unnamed_leaves,
)
from tests.e2e.fuzz_county import fuzz_county, token_of
from tests.e2e.fuzzing import examples, fuzz_operation, problem_details
from tests.e2e.staff_api import (
    NATIONAL_ONLY,
    ORIGINS,
    PASSWORD_CHANGE,
    JsonOperation,
    StaffApi,
    filled,
    own_address_session,
    staff_api,
)
from tests.e2e.staff_steering import steer
from tests.e2e.system import SERVICES, WholeSystem

EXAMPLES = examples(10)
CHECKS: list[CheckFunction] = [not_a_server_error, problem_details]
GATEWAY_MEMORY_GROWTH = 64 * 1024 * 1024


@pytest.fixture(scope="module")
async def staff(whole_system: WholeSystem) -> StaffApi:
    return await staff_api(whole_system, await fuzz_county(whole_system))


def _gateway_write(method: str, path: str) -> bool:
    """A write only the gateway makes on an administrator's behalf: refused (403 `use_admin_api`) whatever is sent."""
    return path.startswith(GATEWAY_WRITES) and method != "GET"


async def test_the_staff_documents_cover_every_staff_route(staff: StaffApi) -> None:
    for route in ROUTES:
        if route.scope is None:
            assert [op for op in staff.operations(route.service) if route.matches(op.path)], route.prefix
    gateway = {(op.method, op.path) for op in staff.operations("gateway")}
    expected = {("POST", "/api/v1/auth/token"), ("POST", PASSWORD_CHANGE), ("POST", "/api/v1/admin/users"),
                ("POST", "/api/v1/admin/clients/{client_id}/deactivate"),
                ("GET", "/api/v1/admin/audit/access")}  # fmt: skip
    assert expected <= gateway
    # The provincial administrator calls some (its roles reach where the county officer's do not), the officer most.
    callers = [staff.tokens[op] for origin in SERVICES for op in staff.operations(origin)]
    assert 0 < callers.count(token_of(staff.fuzz.admin)) < callers.count(token_of(staff.fuzz.officer))


async def test_without_a_token_or_as_a_partner_every_staff_operation_is_refused(
    staff: StaffApi, whole_system: WholeSystem
) -> None:
    """401 without a token, 403 `staff_only` with a partner client's token, before any service sees the request."""
    partner = token_of(staff.fuzz.partners["finance"])
    async with whole_system.client() as anonymous, whole_system.client(partner) as client:
        for op in [op for origin in SERVICES for op in staff.operations(origin)]:
            url = filled(op.path, staff.fuzz.known)
            missing, foreign = await anonymous.request(op.method, url), await client.request(op.method, url)
            refusal = "use_admin_api" if _gateway_write(op.method, op.path) else "staff_only"
            for reply, status, code in ((missing, 401, "missing_token"), (foreign, 403, refusal)):
                assert reply.status_code == status, (op, reply.text)
                assert reply.headers["content-type"].startswith("application/problem+json"), op
                assert reply.json()["code"] == code, (op, reply.text)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
@pytest.mark.parametrize("origin", ORIGINS)
async def test_fuzzing_finds_no_server_error_and_only_problems(
    staff: StaffApi, origin: str, mode: GenerationMode
) -> None:
    fuzz, session = staff.fuzz, own_address_session()
    try:
        for op in staff.operations(origin):
            token = staff.tokens[op]
            # In a thread: schemathesis sends with `requests`, and the session's event loop must stay free.
            statuses = await asyncio.to_thread(
                fuzz_operation,
                staff.schemas[origin][op.path][op.method],
                staff.base_url,
                mode,
                headers={"Authorization": f"Bearer {token}"} if token else {},
                checks=CHECKS,
                max_examples=EXAMPLES,
                session=session,
                steer=lambda case, data: steer(case, fuzz, data, mode),
            )
            if mode is GenerationMode.NEGATIVE and not statuses:
                continue  # nothing in it can be made invalid (a path with only free-form names)
            assert len(statuses) >= (EXAMPLES // 2 if staff.takes_input(op) else 1), (op, len(statuses))
            if (
                mode is GenerationMode.POSITIVE
                and not _gateway_write(op.method, op.path)
                and op.path not in NATIONAL_ONLY
            ):
                # Past the gateway and the role checks: not every valid request was refused for who sent it.
                assert [s for s in statuses if s not in (401, 403)], (op, statuses)
    finally:
        session.close()


def _problem_faults(status: int, content_type: str, problem: object, where: str, code: str | None = None) -> list[str]:
    """What is wrong with a refusal: not a problem, or not the one expected."""
    if not content_type.startswith("application/problem+json") or not isinstance(problem, dict):
        return [f"{where}: {status} as {content_type}"]
    if problem.get("status") != status or not problem.get("code") or (code and problem["code"] != code):
        return [f"{where}: {status} {str(problem)[:300]}"]
    return []


async def _oversized_faults(
    port: int, target: JsonOperation, url: str, headers: dict[str, str], mark: str
) -> list[str]:
    """Deep and over the limit, declared and chunked: refused by the gateway before anything reads them."""
    faults: list[str] = []
    for name, body, status, code in (
        ("deep", deep_json(mark), 422, "too_deep"),
        ("over the limit", just_over(mark, DEFAULT_BODY_LIMIT), 413, "payload_too_large"),
    ):
        for chunked in (False, True):
            reply = await raw_send("127.0.0.1", port, target.op.method, url, headers, body, chunked=chunked)
            where = f"{target.op.method} {target.op.path}: {name}{' chunked' if chunked else ''}"
            if reply.status != status:
                faults.append(f"{where}: {reply.status} {reply.body[:300]!r}")
            else:
                faults += _problem_faults(status, reply.headers.get("content-type", ""), reply.problem(), where, code)
    return faults


async def _huge_faults(
    http: httpx.AsyncClient, staff: StaffApi, target: JsonOperation, url: str, headers: dict[str, str], mark: str
) -> list[str]:
    """Huge strings in the operation's shape, and in the body it accepted: each refused, naming the field."""
    op = target.op
    valid = staff.fuzz.bodies.get((op.method, op.path))
    bodies = [*huge_bodies(target.schema, target.components, mark)]
    if valid is not None:
        bodies += huge_in_valid(valid, target.schema, target.components, mark)
    faults: list[str] = []
    for huge in bodies:
        reply = await http.request(op.method, url, json=huge.body, headers=headers)
        where = f"{op.method} {op.path}: huge strings at {huge.leaves}"
        if reply.status_code not in (413, 422):
            faults.append(f"{where}: {reply.status_code} {reply.text[:300]}")
            continue
        faults += _problem_faults(reply.status_code, reply.headers["content-type"], reply.json(), where)
        unbounded = unnamed_leaves(reply.json(), huge.leaves) if reply.status_code == 422 else []
        if unbounded:
            faults.append(f"{where}: not refused for {unbounded}: {reply.text[:300]}")
    return faults


async def test_deep_and_large_bodies_are_refused_and_change_nothing(
    staff: StaffApi, whole_system: WholeSystem, engine: AsyncEngine
) -> None:
    assert whole_system.gateway is not None
    assert whole_system.gateway.proc is not None
    gateway = psutil.Process(whole_system.gateway.proc.pid)
    memory_before = gateway.memory_info().rss
    targets = staff.json_operations()
    assert len(targets) > 60, len(targets)
    assert {t.op.origin for t in targets} == {*ORIGINS, "partner"}
    marks, faults = [], []
    async with httpx.AsyncClient(base_url=staff.base_url, timeout=60) as http:
        for target in targets:
            url = filled(target.op.path, staff.fuzz.known)
            headers = {"Content-Type": "application/json"}
            if target.token:
                headers["Authorization"] = f"Bearer {target.token}"
            marks.append(mark := marker())
            faults += await _oversized_faults(whole_system.gateway.port, target, url, headers, mark)
            if not _gateway_write(target.op.method, target.op.path):
                faults += await _huge_faults(http, staff, target, url, headers, mark)
    for name, process in [("gateway", whole_system.gateway), *whole_system.apis.items(), *whole_system.workers.items()]:
        assert process.proc is not None, name
        assert process.proc.poll() is None, f"{name} is down"
    async with whole_system.client() as anonymous:
        assert (await anonymous.get("/readyz")).status_code == 200
    assert not faults, "\n".join(faults)
    growth = gateway.memory_info().rss - memory_before
    assert growth < GATEWAY_MEMORY_GROWTH, f"the gateway grew by {growth // 1024 // 1024} MiB"
    assert await stored_marks(engine, [*SERVICES, "gateway"], marks) == []
