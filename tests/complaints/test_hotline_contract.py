"""The 12345 hotline's intake contract (CONTRACTS.md §2): `POST /api/v1/hotline/work-orders` logs a work order once,
answers a repeat identically, refuses a reused number, rejects each invalid field with a problem naming it, keeps the
platform's payload sealed, and protects the caller (DOMAIN.md §6, §11). Partners are built against this: the shapes
and codes asserted here are fixed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.id_number import check_character
from libs.contracts.staff import Scope, StaffRole
from libs.kernel.auth import Principal
from libs.kernel.errors import PROBLEM_JSON
from services.complaints.context import WORK_ORDER_CONTEXT
from services.complaints.hotline.models import WorkOrder
from services.complaints.register.models import Complaint
from tests.complaints.support import (
    WORK_ORDERS,
    ComplaintsApi,
    fresh_id,
    hotline,
    new_village,
    staff,
    township_officer,
    work_order,
)
from tests.support import principals

Body = dict[str, Any]


def _bad_check(id_number: str) -> str:
    """A well-formed identity number whose check character is wrong (GB 11643, DOMAIN.md §11)."""
    good = check_character(id_number[:17])
    return id_number[:17] + ("1" if good != "1" else "2")


async def _logged(api: ComplaintsApi, number: str) -> tuple[int, int]:
    """Rows under `number`: (work_orders, complaints)."""
    async with api.db.sessions() as s:
        orders = await s.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.work_order_no == number))
        items = await s.scalar(select(func.count()).select_from(Complaint).where(Complaint.work_order_no == number))
    return int(orders or 0), int(items or 0)


async def _items_in(api: ComplaintsApi, region: str) -> int:
    async with api.db.sessions() as s:
        return int(
            await s.scalar(select(func.count()).select_from(Complaint).where(Complaint.region_code == region)) or 0
        )


def _masked_phone(phone: str) -> str:
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


async def test_a_new_work_order_is_received_and_logged_for_its_township(api: ComplaintsApi) -> None:
    village = new_village()
    body = work_order(village)
    reply = await api.post(WORK_ORDERS, hotline(village[:6]), body)
    assert reply.status_code == 201, reply.text
    created = reply.json()
    assert set(created) == {"complaint_id", "work_order_no", "status"}
    assert created["work_order_no"] == body["work_order_no"]
    assert created["status"] == "received"
    item = await api.item(created["complaint_id"], township_officer(village))
    assert item["work_order_no"] == body["work_order_no"]
    assert item["source"] == "hotline"
    for field in ("title", "content", "channel", "category", "region_code"):
        assert item[field] == body[field], field
    assert item["assigned_unit"] == village[:9]
    # The platform's deadline wins over the region's working days (DOMAIN.md §6).
    assert datetime.fromisoformat(item["due_at"]) == datetime.fromisoformat(body["due_at"])
    assert item["due_source"] == "platform"
    assert [h["status"] for h in item["history"]] == ["received", "assigned"]
    # Personal numbers are masked even for the handler (DOMAIN.md §11); revealing them is a recorded act.
    phone = body["caller"]["phone"]
    assert item["caller"]["name"] == body["caller"]["name"]
    assert item["caller"]["phone"] == _masked_phone(phone)
    subject_id = body["subject"]["id_number"]
    assert item["subject"]["id_number"] == subject_id[:6] + "*" * 8 + subject_id[14:]
    assert phone not in str(item)
    assert subject_id not in str(item)


async def test_a_deadline_equal_to_receipt_is_taken_as_the_platform_set_it(api: ComplaintsApi) -> None:
    """CONTRACTS.md §2 refuses `due_at` before `received_at`, not equal to it."""
    village = new_village()
    body = work_order(village)
    body["due_at"] = body["received_at"]
    reply = await api.post(WORK_ORDERS, hotline(village[:6]), body)
    assert reply.status_code == 201, reply.text
    item = await api.item(reply.json()["complaint_id"], township_officer(village))
    assert datetime.fromisoformat(item["due_at"]) == datetime.fromisoformat(body["received_at"])
    assert item["due_source"] == "platform"


async def test_the_same_work_order_again_gets_the_same_answer_and_is_logged_once(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    body = work_order(village)
    created = await api.post_work_order(body, client)
    again = await api.post(WORK_ORDERS, client, body)
    assert again.status_code == 200, again.text
    assert again.json() == created
    # The same instants written in UTC: the same work order, not a conflict.
    in_utc = {
        **body,
        "received_at": datetime.fromisoformat(body["received_at"]).astimezone(UTC).isoformat(),
        "due_at": datetime.fromisoformat(body["due_at"]).astimezone(UTC).isoformat(),
    }
    assert in_utc["due_at"].endswith("+00:00")
    utc = await api.post(WORK_ORDERS, client, in_utc)
    assert utc.status_code == 200, utc.text
    assert utc.json() == created
    assert await _logged(api, body["work_order_no"]) == (1, 1)


async def test_a_used_number_with_other_content_is_a_conflict(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    body = work_order(village)
    created = await api.post_work_order(body, client)
    reply = await api.post(WORK_ORDERS, client, {**body, "content": "另一件事：该户子女有稳定收入。"})
    assert reply.status_code == 409, reply.text
    assert reply.headers["content-type"] == PROBLEM_JSON
    assert reply.json()["code"] == "work_order_conflict"
    item = await api.item(created["complaint_id"], township_officer(village))
    assert item["content"] == body["content"]
    assert await _logged(api, body["work_order_no"]) == (1, 1)


def _caller(**fields: Any) -> Callable[[Body], Body]:
    return lambda b: {**b, "caller": {**b["caller"], **fields}}


def _subject(**fields: Any) -> Callable[[Body], Body]:
    return lambda b: {**b, "subject": {**b["subject"], **fields}}


def _set(**fields: Any) -> Callable[[Body], Body]:
    return lambda b: {**b, **fields}


def _without(field: str) -> Callable[[Body], Body]:
    return lambda b: {k: v for k, v in b.items() if k != field}


# (what is wrong, how to break a valid body, the field its error names)
INVALID: list[Any] = [
    pytest.param(_caller(id_number="x"), "id_number", id="caller-id-not-a-number"),
    pytest.param(lambda b: _caller(id_number=_bad_check(fresh_id()))(b), "id_number", id="caller-id-check"),
    pytest.param(lambda b: _subject(id_number=_bad_check(b["subject"]["id_number"]))(b), "id_number", id="subject-id"),
    pytest.param(_set(category="praise"), "category", id="unknown-category"),
    pytest.param(_set(channel="fax"), "channel", id="unknown-channel"),
    # `online` is the bureau's own form (staff items), not a hotline channel.
    pytest.param(_set(channel="online"), "channel", id="staff-only-channel"),
    pytest.param(lambda b: {**b, "due_at": "2026-11-22T09:15:00+08:00"}, "due_at", id="due-before"),
    pytest.param(_set(content=""), "content", id="empty-content"),
    pytest.param(_set(content=" \n\t "), "content", id="blank-content"),
    pytest.param(_without("content"), "content", id="missing-content"),
    pytest.param(_set(title=""), "title", id="empty-title"),
    pytest.param(lambda b: {**b, "region_code": b["region_code"][:5]}, "region_code", id="region-5"),
    pytest.param(lambda b: {**b, "region_code": b["region_code"][:7]}, "region_code", id="region-7"),
    pytest.param(lambda b: {**b, "region_code": b["region_code"] + "1"}, "region_code", id="region-13"),
    pytest.param(lambda b: {**b, "region_code": b["region_code"][:6] + "abc"}, "region_code", id="region-letters"),
    pytest.param(_set(received_at="2026-11-23T09:15:00"), "received_at", id="naive-received-at"),
    pytest.param(_set(work_order_no="HL 2026 0001"), "work_order_no", id="number-with-spaces"),
    pytest.param(_set(work_order_no="H" * 65), "work_order_no", id="number-too-long"),
    pytest.param(_caller(name=None, anonymous=False), "caller", id="real-name-without-name"),
    pytest.param(_subject(name=None, id_number=None), "subject", id="subject-unnamed"),
    pytest.param(_caller(phone="138-abc-0000"), "phone", id="phone-malformed"),
]


@pytest.mark.parametrize(("breaks", "field"), INVALID)
async def test_each_invalid_field_is_a_422_naming_it_and_nothing_is_logged(
    api: ComplaintsApi, breaks: Callable[[Body], Body], field: str
) -> None:
    village = new_village()
    body = breaks(work_order(village))
    reply = await api.post(WORK_ORDERS, hotline(village[:6]), body)
    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"] == PROBLEM_JSON
    problem = reply.json()
    assert problem["code"] == "validation_failed"
    assert any(field in e["loc"] for e in problem["errors"]), problem["errors"]
    assert await _logged(api, body["work_order_no"]) == (0, 0)
    assert await _items_in(api, village) == 0


async def test_without_the_gateway_header_it_is_401(api: ComplaintsApi) -> None:
    body = work_order(new_village())
    reply = await api.http.post(WORK_ORDERS, json=body)
    assert reply.status_code == 401, reply.text
    assert await _logged(api, body["work_order_no"]) == (0, 0)


@pytest.mark.parametrize(
    ("who", "code"),
    [
        pytest.param(lambda v: staff(StaffRole.county_officer, v[:6]), "scope_required", id="staff"),
        pytest.param(lambda v: staff(StaffRole.system_admin, ""), "scope_required", id="system-admin"),
        pytest.param(lambda v: principals.client(Scope.finance, v[:6]), "scope_required", id="finance-client"),
        pytest.param(lambda v: hotline(new_village()[:6]), "outside_jurisdiction", id="other-region-hotline"),
    ],
)
async def test_only_a_hotline_client_of_the_region_may_post(
    api: ComplaintsApi, who: Callable[[str], Principal], code: str
) -> None:
    village = new_village()
    body = work_order(village)
    reply = await api.post(WORK_ORDERS, who(village), body)
    assert reply.status_code == 403, reply.text
    assert reply.json()["code"] == code
    assert await _logged(api, body["work_order_no"]) == (0, 0)


async def test_the_posted_bytes_are_kept_sealed_and_the_phone_is_nowhere_in_clear(api: ComplaintsApi) -> None:
    village = new_village()
    body = work_order(village, raw={"工单来源": "12345", "nested": {"a": [1, 2.5, None]}, "来电号码": "见 caller"})
    phone = body["caller"]["phone"]
    # Indented and ASCII-escaped: what is kept is what was sent, byte for byte, not a re-serialisation.
    payload = json.dumps(body, indent=2, ensure_ascii=True).encode()
    headers = {**api.as_(hotline(village[:6])), "content-type": "application/json"}
    reply = await api.http.post(WORK_ORDERS, content=payload, headers=headers)
    assert reply.status_code == 201, reply.text
    assert api.ctx is not None
    async with api.db.sessions() as s:
        order = await s.execute(select(WorkOrder.__table__).where(WorkOrder.work_order_no == body["work_order_no"]))
        order_row = order.one()._mapping
        item = await s.execute(select(Complaint.__table__).where(Complaint.work_order_no == body["work_order_no"]))
        item_row = item.one()._mapping
    assert api.ctx.vault.open_bytes(order_row["payload_sealed"], context=WORK_ORDER_CONTEXT) == payload
    # DOMAIN.md §11: a phone number is stored sealed (and hashed for look-ups), never in clear.
    for row in (order_row, item_row):
        for column, value in row.items():
            text = value if isinstance(value, bytes) else str(value).encode()
            assert phone.encode() not in text, column
            assert body["subject"]["id_number"].encode() not in text, column


@pytest.mark.parametrize("with_name", [True, False], ids=["named-but-anonymous", "nameless"])
async def test_an_anonymous_caller_is_never_shown(api: ComplaintsApi, with_name: bool) -> None:
    village = new_village()
    caller: Body = {"anonymous": True, "phone": None}
    if with_name:
        caller["name"] = "欧阳娜娜"
    created = await api.post_work_order(work_order(village, caller=caller), hotline(village[:6]))
    officer = township_officer(village)
    item = await api.item(created["complaint_id"], officer)
    assert item["anonymous"] is True
    assert item["caller"] is None
    assert item["caller_name"] is None
    listed = await api.get("/api/v1/complaints", officer, {"region_code": village})
    assert listed.status_code == 200, listed.text
    [summary] = listed.json()["items"]
    assert summary["anonymous"] is True
    assert summary["caller_name"] is None
    # Informant protection (DOMAIN.md §6): neither the name nor its masked form appears anywhere.
    for text in (listed.text, str(item)):
        assert "欧阳" not in text
        assert "欧**娜" not in text


async def test_the_same_work_order_posted_five_times_at_once_is_logged_once(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    body = work_order(village)
    replies = await asyncio.gather(*(api.post(WORK_ORDERS, client, body) for _ in range(5)))
    statuses = sorted(r.status_code for r in replies)
    assert statuses == [200, 200, 200, 200, 201], [r.text for r in replies]
    assert len({r.text for r in replies}) == 1
    assert await _logged(api, body["work_order_no"]) == (1, 1)
    assert await _items_in(api, village) == 1
