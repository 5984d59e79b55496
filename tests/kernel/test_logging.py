"""Logs are JSON lines with `service`, `request_id` and `event_id`, and never personal data (ARCHITECTURE.md §7–8)."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import structlog
from fastapi import APIRouter
from sqlalchemy import text

from libs.devstack.stack import DevStack
from libs.kernel.db import DbSession
from libs.kernel.logging import REDACTED, configure_logging, scrub_database_values
from libs.kernel.service import create_service_app
from services.intake.definition import DEFINITION as INTAKE

ID_NUMBER = "110101199003074514"  # 18 digits
ID_NUMBER_X = "11010519491231002X"  # 17 digits and the check character X
MOBILE = "13812345678"  # 11 digits
ACCOUNT = "6222021234567890123"  # 19 digits
SECRETS = (ID_NUMBER, ID_NUMBER_X, MOBILE, ACCOUNT)

ReadLines = Callable[[], list[dict[str, Any]]]
Configure = Callable[..., ReadLines]


@pytest.fixture
def service_logs(capsys: pytest.CaptureFixture[str]) -> Iterator[Configure]:
    """Configures logging as a service process does, writing into capsys; restores the previous set-up afterwards."""
    was_configured, saved = structlog.is_configured(), structlog.get_config()
    root = logging.getLogger()
    root_handlers, root_level = root.handlers[:], root.level
    access, aiokafka = logging.getLogger("uvicorn.access"), logging.getLogger("aiokafka")
    access_disabled, aiokafka_level = access.disabled, aiokafka.level

    def read() -> list[dict[str, Any]]:
        out = capsys.readouterr().out
        assert not any(secret in out for secret in SECRETS), out
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def configure(level: str = "DEBUG") -> ReadLines:
        # Configured inside the test itself: capsys swaps its stream between the setup and call phases.
        configure_logging("intake", level)
        return read

    try:
        yield configure
    finally:
        structlog.contextvars.clear_contextvars()
        if was_configured:
            structlog.configure(**saved)
        else:
            structlog.reset_defaults()
        root.handlers[:] = root_handlers
        root.setLevel(root_level)
        access.disabled, aiokafka.level = access_disabled, aiokafka_level


def test_personal_data_under_known_keys_is_redacted(service_logs: Configure) -> None:
    json_lines = service_logs()
    structlog.get_logger("test").info(
        "applicant.registered", id_number=ID_NUMBER, phone=MOBILE, account_no=ACCOUNT, Mobile=MOBILE, household="hh-1"
    )

    [line] = json_lines()
    assert line["event"] == "applicant.registered"
    assert (line["id_number"], line["phone"], line["account_no"], line["Mobile"]) == (REDACTED,) * 4
    assert line["household"] == "hh-1"
    assert line["level"] == "info"
    assert "timestamp" in line


def test_personal_data_embedded_in_strings_is_scrubbed(service_logs: Configure) -> None:
    json_lines = service_logs()
    log = structlog.get_logger("test")
    log.info(f"applicant {ID_NUMBER} (mobile {MOBILE}) asked to pay into {ACCOUNT}")
    log.info(f"身份证{ID_NUMBER_X}，电话{MOBILE}，账号{ACCOUNT}")
    log.warning("lookup.failed", note=f"no match for {ID_NUMBER}", tried=[f"tel:{MOBILE}", ACCOUNT])

    first, second, third = json_lines()
    assert first["event"] == f"applicant {REDACTED} (mobile {REDACTED}) asked to pay into {REDACTED}"
    assert second["event"] == f"身份证{REDACTED}，电话{REDACTED}，账号{REDACTED}"
    assert third["note"] == f"no match for {REDACTED}"
    assert third["tried"] == [f"tel:{REDACTED}", REDACTED]


def test_nested_values_and_exception_text_are_scrubbed(service_logs: Configure) -> None:
    json_lines = service_logs()
    log = structlog.get_logger("test")
    log.info("household.loaded", household={"head": {"phone": MOBILE, "name": "x"}, "members": [ID_NUMBER]})
    try:
        raise ValueError(f"identity number {ID_NUMBER} failed its checksum")
    except ValueError:
        log.exception("declaration.rejected")

    loaded, rejected = json_lines()
    assert loaded["household"] == {"head": {"phone": REDACTED, "name": "x"}, "members": [REDACTED]}
    assert "ValueError" in rejected["exception"]
    assert f"identity number {REDACTED} failed" in rejected["exception"]


def test_stdlib_logging_goes_through_the_same_json_and_redaction(service_logs: Configure) -> None:
    json_lines = service_logs()
    logging.getLogger("uvicorn.error").warning("client %s sent account %s", MOBILE, ACCOUNT)

    [line] = json_lines()
    assert line["event"] == f"client {REDACTED} sent account {REDACTED}"
    assert line["service"] == "intake"
    assert line["logger"] == "uvicorn.error"
    assert line["level"] == "warning"


def test_lines_carry_service_request_id_and_event_id(service_logs: Configure) -> None:
    json_lines = service_logs()
    log = structlog.get_logger("test")
    event_id = "3f2b8c1e-9d4a-4b6e-8f7a-2c1d5e6f7a8b"
    with structlog.contextvars.bound_contextvars(request_id="req-7c1f", event_id=event_id):
        log.info("case.opened", case="c-1")
    log.info("worker.idle")

    inside, outside = json_lines()
    assert (inside["service"], inside["request_id"], inside["event_id"]) == ("intake", "req-7c1f", event_id)
    assert outside["service"] == "intake"
    assert "request_id" not in outside
    assert "event_id" not in outside


def test_the_level_filters_structlog_and_stdlib_alike(service_logs: Configure) -> None:
    json_lines = service_logs("WARNING")
    structlog.get_logger("test").info("too.chatty")
    logging.getLogger("aiokafka").warning("broker slow")
    logging.getLogger("aiokafka").info("metadata refreshed")

    [line] = json_lines()
    assert line["event"] == "broker slow"


@pytest.mark.parametrize(
    "event_id",
    [
        # Valid UUIDs whose last group is twelve decimal digits, as about 1 in 280 random uuid4s are.
        "123e4567-e89b-42d3-a456-426614174000",
        "0b7d1f3c-5a2e-4c8b-9d6f-100000000001",
    ],
)
def test_an_event_id_is_never_mistaken_for_an_account_number(service_logs: Configure, event_id: str) -> None:
    json_lines = service_logs()
    with structlog.contextvars.bound_contextvars(event_id=event_id, request_id=event_id):
        structlog.get_logger("test").info("event.handled")

    [line] = json_lines()
    assert (line["event_id"], line["request_id"]) == (event_id, event_id)


NAME = "欧阳测试"
# A statement each way a database error quotes its input: asyncpg refuses a value before sending it (it does not fit
# the parameter's type), PostgreSQL refuses one it received and quotes it back.
FAULTS = {
    "asyncpg": "SELECT CAST(:name AS text), CAST(:id_number AS integer)",
    "postgresql": "SELECT CAST(:id_number AS text), CAST(CAST(:name AS text) AS integer)",
}
_faults = APIRouter()


@_faults.post("/api/v1/intake/test-faults/{where}")
async def _provoke(where: str, body: dict[str, str], session: DbSession) -> None:
    await session.execute(text(FAULTS[where]), body)


async def test_a_500_from_the_database_logs_no_value_of_the_statement(service_logs: Configure, stack: DevStack) -> None:
    """Before: the traceback of a 500 carried the statement's parameters and the values asyncpg and PostgreSQL quote
    (issue 17, finding 15); the fixture fails the test if an identity number reaches the output."""
    json_lines = service_logs()
    # The kernel's module-level loggers must not keep this test's captured stream once it is closed.
    structlog.configure(cache_logger_on_first_use=False)
    definition = dataclasses.replace(INTAKE, routers=[*INTAKE.routers, _faults])
    app = create_service_app(definition, INTAKE.settings().with_overrides(role="api"))
    body = {"name": NAME, "id_number": ID_NUMBER}
    transport = httpx.ASGITransport(app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://x") as client:
        replies = [await client.post(f"/api/v1/intake/test-faults/{where}", json=body) for where in FAULTS]
        # A value shaped like no identity number at all, quoted back by PostgreSQL.
        replies.append(await client.post("/api/v1/intake/test-faults/postgresql", json={**body, "name": NAME * 3}))

    assert [reply.status_code for reply in replies] == [500, 500, 500]
    lines = json_lines()
    output = json.dumps(lines, ensure_ascii=False)
    assert NAME not in output
    assert ID_NUMBER not in output
    failures = [line["exception"] for line in lines if line["event"] == "request.failed"]
    assert len(failures) == 3
    assert f"invalid input for query argument $2: {REDACTED}" in failures[0]
    assert f'invalid input syntax for type integer: "{REDACTED}"' in failures[1]
    assert all("[SQL parameters hidden due to hide_parameters=True]" in failure for failure in failures)


@pytest.mark.parametrize(
    ("message", "scrubbed"),
    [
        ("invalid input for query argument $1: '张三 1404' (expected str, got int)",
         f"invalid input for query argument $1: {REDACTED}"),
        ('invalid input syntax for type uuid: "张三"', f'invalid input syntax for type uuid: "{REDACTED}"'),
        ('value "99999999999" is out of range for type integer',
         f'value "{REDACTED}" is out of range for type integer'),
        ("DETAIL:  Key (region_code, name)=(140402, 张三) already exists.",
         f"DETAIL:  Key (region_code, name)=({REDACTED}) already exists."),
        ("DETAIL:  Failing row contains (1, 张三, 140402).", f"DETAIL:  Failing row contains ({REDACTED})."),
        ("[parameters: ('张三', 3)]", f"[parameters: {REDACTED}]"),
        ('duplicate key value violates unique constraint "uq_users_username"',
         'duplicate key value violates unique constraint "uq_users_username"'),
    ],
)  # fmt: skip
def test_values_quoted_by_database_errors_are_removed(message: str, scrubbed: str) -> None:
    assert scrub_database_values(message) == scrubbed
