"""Complaints in process against the session's real database: the hotline and staff APIs called as the gateway
forwards them, and builders for work orders and staff items.

Every test works in a county of its own with identity numbers and phone numbers no other test
uses, so repeat linking never reaches another test's items.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import Principal
from libs.kernel.events import CloudEvent
from services.complaints.context import Complaints
from services.complaints.db import tables
from tests.support import principals
from tests.support.delivery import outbox_events
from tests.support.id_numbers import fresh_id_65 as fresh_id
from tests.support.principals import county_officer, staff, township_officer
from tests.support.regions import new_county, new_village
from tests.support.service_api import Clock, ServiceApi

# Shared with the other suites; re-exported so complaints' tests import one module.
__all__ = ["Clock", "county_officer", "fresh_id", "new_county", "new_village", "staff", "township_officer"]

_phones = itertools.count(random.randint(10**7, 9 * 10**7))
_numbers = itertools.count(random.randint(10**6, 10**7))
WORK_ORDERS = "/api/v1/hotline/work-orders"
COMPLAINTS = "/api/v1/complaints"


def fresh_phone() -> str:
    return f"139{next(_phones):08d}"


def fresh_work_order_no() -> str:
    return f"HL{next(_numbers):010d}{uuid.uuid4().hex[:4].upper()}"


def hotline(region: str = "65") -> Principal:
    return principals.client(Scope.hotline, region)


def admin() -> Principal:
    return staff(StaffRole.system_admin, "")


def work_order(village: str, **overrides: Any) -> dict[str, Any]:
    """A valid work order (CONTRACTS.md §2) from a real-name caller about a person, received now-ish."""
    received = datetime(2026, 11, 23, 9, 15, tzinfo=CHINA_TZ)
    body: dict[str, Any] = {
        "work_order_no": fresh_work_order_no(),
        "received_at": received.isoformat(),
        "channel": "phone",
        "category": "complaint",
        "title": "反映某户不符合低保条件",
        "content": "来电人反映该户家中有车辆，仍在领取低保。",
        "region_code": village,
        "caller": {"name": "李四", "phone": fresh_phone(), "id_number": None, "anonymous": False},
        "subject": {"name": "王五", "id_number": fresh_id(), "address": "某村3组"},
        "due_at": (received + timedelta(days=7)).isoformat(),
        "raw": {"platform_field": "原始字段", "seq": 1},
    }
    body.update(overrides)
    return body


def letter(village: str, **overrides: Any) -> dict[str, Any]:
    """A real-name letter entered by staff, about a person."""
    body: dict[str, Any] = {
        "channel": "letter",
        "category": "report",
        "title": "举报某户隐瞒收入",
        "content": "来信反映该户儿子在外务工收入较高。",
        "region_code": village,
        "caller": {"name": "赵六", "phone": fresh_phone()},
        "subject": {"kind": "person", "name": "钱七", "id_number": fresh_id()},
    }
    body.update(overrides)
    return body


@dataclass
class ComplaintsApi(ServiceApi):
    ctx: Complaints | None = None
    app: FastAPI | None = None

    @contextlib.contextmanager
    def settings(self, **overrides: Any) -> Iterator[None]:
        """Complaints' API with these settings for the block (a production outbound policy, say)."""
        assert self.app is not None
        runtime = self.app.state.runtime
        ctx = runtime.context
        runtime.context = replace(ctx, settings=ctx.settings.with_overrides(**overrides))
        try:
            yield
        finally:
            runtime.context = ctx

    async def post_work_order(self, body: dict[str, Any], client: Principal) -> dict[str, Any]:
        reply = await self.post(WORK_ORDERS, client, body)
        assert reply.status_code == 201, reply.text
        return dict(reply.json())

    async def log_item(self, body: dict[str, Any], who: Principal | None = None) -> dict[str, Any]:
        reply = await self.post(COMPLAINTS, who or township_officer(body["region_code"]), body)
        assert reply.status_code == 201, reply.text
        return dict(reply.json())

    async def item(self, complaint_id: str, who: Principal) -> dict[str, Any]:
        reply = await self.get(f"{COMPLAINTS}/{complaint_id}", who)
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    async def act(self, complaint_id: str, action: str, who: Principal, body: Any) -> httpx.Response:
        return await self.post(f"{COMPLAINTS}/{complaint_id}/{action}", who, body)

    async def investigate_and_resolve(
        self, complaint_id: str, who: Principal, finding: str = "unsubstantiated", **extra: Any
    ) -> dict[str, Any]:
        """A note, then the finding with written feedback: the usual close of a real-name item."""
        note = await self.act(complaint_id, "notes", who, {"text": "入户核查，查看车辆登记"})
        assert note.status_code == 201, note.text
        body = {
            "finding": finding,
            "reply": "经核查，反映情况不属实。",
            "feedback": {"text": "书面告知核查结果", "method": "letter"},
            **extra,
        }
        reply = await self.act(complaint_id, "resolve", who, body)
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    async def outbox_events(self, event_type: str | None = None, subject: str | None = None) -> list[CloudEvent]:
        return await outbox_events(self.db, tables, event_type=event_type, subject=subject)
