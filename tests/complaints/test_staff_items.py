"""Items entered by staff from letters, visits, calls and the online form, and the ledger (台账) that lists them
(DOMAIN.md §6): villages may log but not read (an informant must stay unknown to village cadres), lists show masked
names (§11), and refused input logs nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import StaffRole
from services.complaints.register.models import Complaint
from tests.complaints.support import (
    COMPLAINTS,
    ComplaintsApi,
    county_officer,
    fresh_id,
    hotline,
    letter,
    new_county,
    new_village,
    staff,
    township_officer,
    work_order,
)


async def logged_in(api: ComplaintsApi, region: str) -> int:
    async with api.db.sessions() as session:
        return int(await session.scalar(select(func.count()).where(Complaint.region_code == region)) or 0)


@pytest.mark.parametrize("channel", ["letter", "visit", "phone", "online"])
async def test_staff_log_letters_visits_calls_and_online_messages(api: ComplaintsApi, channel: str) -> None:
    village = new_village()
    body = letter(village, channel=channel)
    item = await api.log_item(body)
    assert (item["source"], item["channel"], item["status"]) == ("staff", channel, "assigned")
    assert item["assigned_unit"] == village[:9]
    assert [h["status"] for h in item["history"]] == ["received", "assigned"]
    assert item["caller"]["name"] == "赵六"
    assert item["subject"]["kind"] == "person"
    # Identity numbers are masked in what staff see (DOMAIN.md §11).
    assert item["subject"]["id_number"] != body["subject"]["id_number"]
    assert await logged_in(api, village) == 1


async def test_who_may_log_and_who_may_read(api: ComplaintsApi) -> None:
    county = new_county()
    village = f"{county}101001"
    assistant = staff(StaffRole.village_assistant, village)
    logged = await api.post(COMPLAINTS, assistant, letter(village, title="村协理员代录来访"))
    assert logged.status_code == 201, logged.text
    cid = logged.json()["complaint_id"]
    # Logged, but the village may not read the ledger: a report is often about its own cadres.
    assert (await api.get(COMPLAINTS, assistant, {"region_code": village})).status_code == 403
    assert (await api.get(f"{COMPLAINTS}/{cid}", assistant)).status_code == 403
    assert (await api.item(cid, township_officer(village)))["title"] == "村协理员代录来访"

    city = staff(StaffRole.city_supervisor, county[:4])
    assert (await api.post(COMPLAINTS, city, letter(village))).status_code == 403
    assert (await api.item(cid, city))["complaint_id"] == cid
    elsewhere = await api.post(COMPLAINTS, township_officer(f"{county}102001"), letter(village))
    assert elsewhere.status_code == 403, elsewhere.text
    assert (await api.post(COMPLAINTS, county_officer(new_county()), letter(village))).status_code == 403
    assert await logged_in(api, village) == 1


async def test_refused_items_log_nothing(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    future = datetime(2026, 11, 23, 10, 30, tzinfo=CHINA_TZ).isoformat()
    in_future = await api.post(COMPLAINTS, officer, letter(village, received_at=future))
    assert in_future.status_code == 422, in_future.text
    assert in_future.json()["code"] == "received_in_future"
    bodies: list[dict[str, Any]] = [
        # 12345 posts its own work orders; staff do not enter them as WeChat messages.
        letter(village, channel="wechat"),
        letter(village, channel="fax"),
        letter(village, caller={"name": "赵六", "id_number": bad_check_digit(fresh_id())}),
        letter(village, subject={"kind": "person", "name": "钱七", "id_number": bad_check_digit(fresh_id())}),
        letter(village, caller={"phone": "13900000002"}),
        letter(village, subject={"kind": "staff", "household_id": "h-1"}),
        letter(village, title=""),
        letter(village, received_at="2026-11-23T09:00:00"),
        letter(village, category="praise"),
        letter(village, region_code="6500"),
        {**letter(village), "work_order_no": "HL1"},
    ]
    for body in bodies:
        refused = await api.post(COMPLAINTS, officer, body)
        assert refused.status_code == 422, (body, refused.text)
    assert await logged_in(api, village) == 0
    # Shortly before now (a clock a little ahead on the entering PC) is accepted: five minutes of grace.
    close = (datetime(2026, 11, 23, 10, tzinfo=CHINA_TZ) + timedelta(minutes=4)).isoformat()
    assert (await api.post(COMPLAINTS, officer, letter(village, received_at=close))).status_code == 201
    assert await logged_in(api, village) == 1


def stamp(hour: int) -> str:
    return datetime(2026, 11, 23, hour, tzinfo=CHINA_TZ).isoformat()


def bad_check_digit(id_number: str) -> str:
    return id_number[:-1] + ("1" if id_number[-1] != "1" else "2")


async def ledger(api: ComplaintsApi, who: Any, **params: Any) -> list[dict[str, Any]]:
    reply = await api.get(COMPLAINTS, who, params)
    assert reply.status_code == 200, reply.text
    return list(reply.json()["items"])


async def test_the_ledger_lists_newest_first_with_filters_and_masked_names(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    oldest = await api.log_item(letter(village, received_at=stamp(7)))
    help_item = await api.log_item(letter(village, category="help", received_at=stamp(8)))
    call = work_order(village, received_at=stamp(9), caller={"name": "欧阳明娜", "phone": "13900000003"})
    platform = (await api.post_work_order(call, hotline(village[:6])))["complaint_id"]
    await api.investigate_and_resolve(oldest["complaint_id"], officer)
    ids = [oldest["complaint_id"], help_item["complaint_id"], platform]

    everything = await ledger(api, officer, region_code=village)
    assert [s["complaint_id"] for s in everything] == ids[::-1]
    names = {s["complaint_id"]: (s["caller_name"], s["subject_name"]) for s in everything}
    assert names[oldest["complaint_id"]] == ("赵*", "钱*")
    assert names[platform] == ("欧**娜", "王*")
    assert "content" not in everything[0]

    assert [s["complaint_id"] for s in await ledger(api, officer, region_code=village, status="resolved")] == ids[:1]
    assert [s["complaint_id"] for s in await ledger(api, officer, region_code=village, category="help")] == ids[1:2]
    assert [s["complaint_id"] for s in await ledger(api, officer, region_code=village, source="hotline")] == ids[2:]
    by_staff = await ledger(api, officer, region_code=village, source="staff", status="assigned")
    assert [s["complaint_id"] for s in by_staff] == ids[1:2]
    # A county reads its townships' ledgers without naming one.
    county = await ledger(api, county_officer(village), region_code=village[:6])
    assert {s["complaint_id"] for s in county} >= set(ids)


async def test_the_ledger_pages_and_refuses_bad_cursors_and_foreign_regions(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    anonymous = await api.log_item(letter(village, caller={"anonymous": True}))
    named = await api.log_item(letter(village))
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(5):
        params: dict[str, Any] = {"region_code": village, "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await api.get(COMPLAINTS, officer, params)).json()
        assert len(page["items"]) <= 1
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    # Both were received at the same instant (now): the id breaks the tie, and no item is lost or repeated.
    assert sorted(s["complaint_id"] for s in seen) == sorted([anonymous["complaint_id"], named["complaint_id"]])
    assert len(seen) == 2
    shown = {s["complaint_id"]: s["caller_name"] for s in seen}
    assert shown[anonymous["complaint_id"]] is None

    bad = await api.get(COMPLAINTS, officer, {"region_code": village, "cursor": "not-a-cursor"})
    assert bad.status_code == 422, bad.text
    foreign = await api.get(COMPLAINTS, officer, {"region_code": new_village()})
    assert foreign.status_code == 403, foreign.text
    neighbour = await api.get(COMPLAINTS, officer, {"region_code": village[:6]})
    assert neighbour.status_code == 403, neighbour.text
    assert (await api.get(COMPLAINTS, officer, {"status": "closed"})).status_code == 422
