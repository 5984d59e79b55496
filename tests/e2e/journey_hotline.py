"""Helpers of the hotline journeys (tests/e2e/test_journey_hotline.py): the request bodies a 12345 platform and the
staff send through the gateway, fresh personal data for each scenario, and checks on replies that never print it.

Bodies follow CONTRACTS.md §2 and the demo loaders (libs/demo_county/complaints.py, demo_casework.py); every
identity number is fictional and valid, built in the scenario's own county so no other scenario files the same
person.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from libs.contracts.clock import CHINA_TZ
from libs.contracts.id_number import IdNumber
from libs.demo_county.intake import fictional_id
from tests.e2e.system import Actor, WholeSystem, new_county

WORK_ORDERS = "/api/v1/hotline/work-orders"
DELIVERIES = "/api/v1/hotline/deliveries"
COMPLAINTS = "/api/v1/complaints"
CASES = "/api/v1/casework/cases"
HOUSEHOLDS = "/api/v1/casework/households"
STANDARDS = "/api/v1/casework/standards"
LEADS = "/api/v1/intake/leads"
APPLICATIONS = "/api/v1/intake/applications"

# Things that happen over the broker or on the push job's interval (5 s, a failed push again after 30 s): generous,
# since the machine is shared and every service runs as two processes.
BROKER_WAIT = 120.0

# Mobile numbers unique in the session: 139, the county's last four digits, a running number.
_phone_seq = itertools.count(1)


def fresh_phone(county: str) -> str:
    return f"139{county[2:6]}{next(_phone_seq) % 10_000:04d}"


def work_order_no() -> str:
    return f"HL{uuid.uuid4().hex[:20].upper()}"


def now_in_china() -> str:
    return datetime.now(CHINA_TZ).isoformat(timespec="seconds")


def now_day() -> str:
    """Today in China (visits and checks are dated in local days)."""
    return datetime.now(CHINA_TZ).date().isoformat()


def masked(id_number: str) -> str:
    """An identity number as the services show it (DOMAIN.md §11)."""
    return IdNumber.parse(id_number).masked()


@dataclass(frozen=True)
class Place:
    """A county of the scenario's own, one township of it and one village of that."""

    county: str
    township: str
    village: str

    @classmethod
    def fresh(cls) -> Place:
        county = new_county()
        township = f"{county}101"
        return cls(county, township, f"{township}201")


@dataclass(frozen=True)
class Person:
    id_number: str
    name: str


def problem(reply: httpx.Response) -> str:
    """What a failed reply says, without its body: a problem's code and title only (bodies may name people)."""
    try:
        body = reply.json()
    except ValueError:
        return f"HTTP {reply.status_code} {reply.request.method} {reply.request.url.path}"
    code = body.get("code") if isinstance(body, dict) else None
    title = body.get("title") if isinstance(body, dict) else None
    return f"HTTP {reply.status_code} {reply.request.method} {reply.request.url.path}: {code} {title}"


async def call(actor: Actor, method: str, path: str, status: int = 200, **kw: Any) -> dict[str, Any]:
    """One request through the gateway expecting `status`; its JSON answer."""
    reply = await actor.http.request(method, path, **kw)
    assert reply.status_code == status, problem(reply)
    body: dict[str, Any] = reply.json()
    return body


async def call_list(actor: Actor, path: str, **kw: Any) -> list[dict[str, Any]]:
    """A GET answering a JSON list."""
    reply = await actor.http.get(path, **kw)
    assert reply.status_code == 200, problem(reply)
    body: list[dict[str, Any]] = reply.json()
    return body


# --- casework: the county's figures and a household it already pays


async def set_dibao_standard(county_officer: Actor, county: str, standard: str) -> None:
    body = {"region_prefix": county, "effective_from": "2026-01-01", "figures": {"dibao_standard": standard}}
    await call(county_officer, "POST", STANDARDS, 201, json=body)


async def import_recipient_household(
    system: WholeSystem, county_officer: Actor, place: Place, head: Person, child: Person, monthly: str
) -> dict[str, Any]:
    """A two-member dibao household the county paid before Jiuzhu, entered by the county officer's import (as
    demo_casework.py does): the quickest real way for casework to hold a recipient household."""
    account_no = f"62305800{place.county}{next(_phone_seq) % 100_000:05d}"
    system.remember_personal_data([head.id_number, child.id_number, account_no])
    body = {
        "region_code": place.village,
        "legacy_ref": f"DB-E2E-{uuid.uuid4().hex[:8]}",
        "members": [
            {"relation": "head", "id_number": head.id_number, "name": head.name, "employment": "unemployed"},
            {"relation": "child", "id_number": child.id_number, "name": child.name, "employment": "student"},
        ],
        "programs": [{"program": "dibao", "monthly_amount": monthly, "since": "2025-03"}],
        "review_class": "C",
        # Far off: the review calendar must not open a periodic review of its own during the scenario.
        "next_review_date": "2027-11-01",
        "account": {"bank_code": "ICBC", "account_no": account_no, "holder_name": head.name},
    }
    return await call(county_officer, "POST", f"{HOUSEHOLDS}/import", 201, json=body)


def investigation(visited_on: str, **extra: Any) -> dict[str, Any]:
    """The township's home investigation of a review (two investigators, neighbours asked), with the household's
    commitment signed at the visit (a review needs it, issue 21)."""
    return {
        "investigators": [{"user": "e2e-inv-1", "name": "调查员甲"}, {"user": "e2e-inv-2", "name": "调查员乙"}],
        "visited_on": visited_on,
        "findings": "入户核查并向用工单位核实：户主在县城物流公司做装卸工，有固定工资，此前未申报。",
        "neighbour_visits": "走访邻居两户，情况属实",
        "commitment": {"signed": True, "signed_by": "李文华", "signer_relation": "户主", "signed_on": visited_on},
        **extra,
    }


# --- 12345 work orders (CONTRACTS.md §2)


def complaint_work_order(number: str, place: Place, caller_phone: str, about: Person) -> dict[str, Any]:
    """A real-name caller reports that a recipient has a steady job and still draws dibao."""
    return {
        "work_order_no": number,
        "received_at": now_in_china(),
        "channel": "phone",
        "category": "complaint",
        "title": "反映低保户有稳定工作仍领取低保",
        "content": "来电人反映本村低保户户主在县城一家物流公司上班，每月有固定工资，仍在领取低保，请核查。",
        "region_code": place.village,
        "caller": {"name": "高明", "phone": caller_phone, "id_number": None, "anonymous": False},
        "subject": {"name": about.name, "id_number": about.id_number, "address": "本村"},
        "raw": {"platform": "12345", "hotline_category": "民政-低保", "seat": "0412"},
    }


def help_work_order(number: str, place: Place, caller: Person, phone: str) -> dict[str, Any]:
    """A caller asks for help for her own family: she is the person in need (no separate subject)."""
    return {
        "work_order_no": number,
        "received_at": now_in_china(),
        "channel": "wechat",
        "category": "help",
        "title": "家中突遭变故请求救助",
        "content": "来电人丈夫因车祸去世，家中无其他收入，孩子上学，请求政府帮助。",
        "region_code": place.village,
        "caller": {
            "name": caller.name,
            "phone": phone,
            "id_number": caller.id_number,
            "anonymous": False,
            "address": "本村 5 组",
        },
        "raw": {"platform": "12345", "hotline_category": "民政-救助"},
    }


def person(county: str, born: str, seq: str, name: str) -> Person:
    return Person(fictional_id(born, seq, county), name)
