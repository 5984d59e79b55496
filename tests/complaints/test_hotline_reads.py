"""What the 12345 platform reads back (CONTRACTS.md §2): a work order's status, result and history; the caller's
satisfaction from the platform's follow-up (DOMAIN.md §6: 回访满意度 is recorded); and the log of result pushes, which
each client sees for its own work orders only."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from libs.kernel.auth import Principal
from libs.kernel.errors import PROBLEM_JSON
from services.complaints.register.rules import unit_name
from tests.complaints.support import (
    COMPLAINTS,
    WORK_ORDERS,
    ComplaintsApi,
    fresh_work_order_no,
    hotline,
    new_village,
    township_officer,
    work_order,
)

DELIVERIES = "/api/v1/hotline/deliveries"


async def _received(api: ComplaintsApi, village: str, client: Principal | None = None) -> tuple[dict[str, Any], str]:
    """A fresh work order of `village`: the 201 answer and its number."""
    body = work_order(village)
    created = await api.post_work_order(body, client or hotline(village[:6]))
    return created, body["work_order_no"]


async def _read(api: ComplaintsApi, number: str, client: Principal) -> dict[str, Any]:
    reply = await api.get(f"{WORK_ORDERS}/{number}", client)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def _deliveries(api: ComplaintsApi, client: Principal, **params: Any) -> dict[str, Any]:
    reply = await api.get(DELIVERIES, client, params)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def test_an_open_work_order_reads_with_its_history_and_no_result(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    created, number = await _received(api, village, client)
    read = await _read(api, number, client)
    assert read["work_order_no"] == number
    assert read["complaint_id"] == created["complaint_id"]
    assert read["status"] == "assigned"
    assert read["result"] is None
    assert [h["status"] for h in read["history"]] == ["received", "assigned"]
    for entry in read["history"]:
        assert set(entry) == {"status", "at", "note"}
        datetime.fromisoformat(entry["at"])
    assert number in read["history"][0]["note"]


async def test_a_resolved_work_order_reads_with_its_result(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    created, number = await _received(api, village, client)
    reply = "经核查，该户车辆已过户。"
    await api.investigate_and_resolve(created["complaint_id"], township_officer(village), reply=reply)
    read = await _read(api, number, client)
    assert read["status"] == "resolved"
    assert read["result"] == {
        "finding": "unsubstantiated",
        "reply": reply,
        "handled_at": read["result"]["handled_at"],
        "handler_unit": unit_name(village[:9]),
    }
    assert api.clock.at is not None
    assert datetime.fromisoformat(read["result"]["handled_at"]) == api.clock.at
    assert [h["status"] for h in read["history"]] == ["received", "assigned", "investigating", "resolved"]
    # Investigation notes are internal: the platform sees the status history only.
    assert "入户核查" not in str(read)


async def test_a_returned_work_order_reads_as_not_applicable_with_the_reason(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    created, number = await _received(api, village, client)
    reason = "反映事项属住建部门职责，退回平台转办。"
    answer = {"reason": reason, "feedback": {"text": reason, "method": "hotline_reply"}}
    returned = await api.act(created["complaint_id"], "return", township_officer(village), answer)
    assert returned.status_code == 200, returned.text
    read = await _read(api, number, client)
    assert read["status"] == "returned"
    assert read["result"]["finding"] == "not_applicable"
    assert read["result"]["reply"] == reason
    assert read["history"][-1]["status"] == "returned"


async def test_reading_an_unknown_foreign_or_unauthenticated_work_order_is_refused(api: ComplaintsApi) -> None:
    village = new_village()
    _, number = await _received(api, village)
    unknown = await api.get(f"{WORK_ORDERS}/{fresh_work_order_no()}", hotline(village[:6]))
    assert unknown.status_code == 404, unknown.text
    assert unknown.headers["content-type"] == PROBLEM_JSON
    assert unknown.json()["code"] == "work_order_not_found"
    # Another platform's number reads as one never posted: neither its existence nor its region is told.
    for other in (hotline(new_village()[:6]), hotline(village[:6])):
        foreign = await api.get(f"{WORK_ORDERS}/{number}", other)
        assert foreign.status_code == 404, foreign.text
        assert foreign.json()["code"] == "work_order_not_found"
        assert village not in foreign.text
    anonymous = await api.http.get(f"{WORK_ORDERS}/{number}")
    assert anonymous.status_code == 401, anonymous.text


async def test_satisfaction_is_refused_while_open_and_recorded_once_answered(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    created, number = await _received(api, village, client)
    officer = township_officer(village)
    path = f"{WORK_ORDERS}/{number}/satisfaction"
    early = await api.post(path, client, {"satisfaction": "satisfied"})
    assert early.status_code == 409, early.text
    assert early.json()["code"] == "not_answered"
    assert (await api.item(created["complaint_id"], officer))["satisfaction"] is None
    await api.investigate_and_resolve(created["complaint_id"], officer)
    unknown = await api.post(path, client, {"satisfaction": "thrilled"})
    assert unknown.status_code == 422, unknown.text
    assert any("satisfaction" in e["loc"] for e in unknown.json()["errors"])
    assert (await api.item(created["complaint_id"], officer))["satisfaction"] is None
    surveyed = await api.post(path, client, {"satisfaction": "dissatisfied", "note": "认为核查不细"})
    assert surveyed.status_code == 200, surveyed.text
    assert surveyed.json()["status"] == "resolved"
    item = await api.item(created["complaint_id"], officer)
    assert item["satisfaction"] == "dissatisfied"
    assert item["satisfaction_note"] == "认为核查不细"


async def test_a_result_is_queued_for_the_client_once_resolved(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    created, number = await _received(api, village, client)
    assert (await _deliveries(api, client, work_order_no=number)) == {"items": [], "next_cursor": None}
    await api.investigate_and_resolve(created["complaint_id"], township_officer(village))
    page = await _deliveries(api, client, work_order_no=number)
    [delivery] = page["items"]
    assert delivery["work_order_no"] == number
    assert delivery["complaint_id"] == created["complaint_id"]
    assert delivery["status"] == "resolved"
    assert delivery["state"] == "pending"
    assert delivery["attempts"] == 0
    assert delivery["attempt_log"] == []
    assert delivery["delivered_at"] is None
    assert page["next_cursor"] is None
    # The staff view of the same pushes agrees.
    staff_view = await api.get(f"{COMPLAINTS}/{created['complaint_id']}/deliveries", township_officer(village))
    assert staff_view.status_code == 200, staff_view.text
    assert [d["delivery_id"] for d in staff_view.json()] == [delivery["delivery_id"]]


async def test_another_client_does_not_see_this_clients_deliveries(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    created, number = await _received(api, village, client)
    await api.investigate_and_resolve(created["complaint_id"], township_officer(village))
    # A second platform of the same region: the number is not its own (404, as if never posted), and its log is its
    # own only.
    other = hotline(village[:6])
    foreign = await api.get(DELIVERIES, other, {"work_order_no": number})
    assert foreign.status_code == 404, foreign.text
    assert foreign.json()["code"] == "work_order_not_found"
    assert (await _deliveries(api, other))["items"] == []
    assert len((await _deliveries(api, client, work_order_no=number))["items"]) == 1


async def test_deliveries_page_by_cursor_and_filter_by_state(api: ComplaintsApi) -> None:
    village = new_village()
    client = hotline(village[:6])
    officer = township_officer(village)
    numbers = []
    for minute in (0, 1):
        # Pushes are listed oldest first: resolve the second a minute later so the order is known.
        api.clock.set_day(date(2026, 11, 23))
        assert api.clock.at is not None
        api.clock.at += timedelta(minutes=minute)
        created, number = await _received(api, village, client)
        await api.investigate_and_resolve(created["complaint_id"], officer)
        numbers.append(number)
    first = await _deliveries(api, client, limit=1)
    assert [d["work_order_no"] for d in first["items"]] == numbers[:1]
    assert first["next_cursor"] is not None
    second = await _deliveries(api, client, limit=1, cursor=first["next_cursor"])
    assert [d["work_order_no"] for d in second["items"]] == numbers[1:]
    assert second["next_cursor"] is None
    pending = await _deliveries(api, client, state="pending")
    assert [d["work_order_no"] for d in pending["items"]] == numbers
    assert (await _deliveries(api, client, state="delivered"))["items"] == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        pytest.param({"cursor": "not-a-cursor"}, "invalid_cursor", id="garbage-cursor"),
        # base64url of {"after": [1, 2]}: well-formed, but not a (timestamp, id) keyset.
        pytest.param({"cursor": "eyJhZnRlciI6IFsxLCAyXX0"}, "invalid_cursor", id="mistyped-keys"),
        pytest.param({"state": "lost"}, "validation_failed", id="unknown-state"),
        pytest.param({"work_order_no": "HL 1"}, "validation_failed", id="malformed-number"),
    ],
)
async def test_an_invalid_delivery_query_is_a_422(api: ComplaintsApi, params: dict[str, str], code: str) -> None:
    reply = await api.get(DELIVERIES, hotline(new_village()[:6]), params)
    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"] == PROBLEM_JSON
    assert reply.json()["code"] == code
