"""Each platform on its own (issue 17, finding 15; CONTRACTS.md §2): a work-order number is unique per platform, so the
same number from another platform is another order, and nothing about one platform's orders (existence, region,
repeats) is shown to another. Repeats are linked within a county only, and staff see the items of a petition that lie
inside their jurisdiction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from libs.contracts.clock import CHINA_TZ
from libs.kernel.auth import Principal
from services.complaints.hotline.models import WorkOrder
from services.complaints.register.models import Complaint
from tests.complaints.support import (
    COMPLAINTS,
    WORK_ORDERS,
    ComplaintsApi,
    county_officer,
    fresh_phone,
    hotline,
    letter,
    new_county,
    new_village,
    township_officer,
    work_order,
)


def received(day: int, minute: int = 15) -> str:
    return datetime(2026, 11, day, 9, minute, tzinfo=CHINA_TZ).isoformat()


def caller(phone: str) -> dict[str, Any]:
    return {"name": "李四", "phone": phone, "anonymous": False}


async def read(api: ComplaintsApi, number: str, platform: Principal) -> dict[str, Any]:
    reply = await api.get(f"{WORK_ORDERS}/{number}", platform)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def rows_under(api: ComplaintsApi, number: str) -> tuple[int, int]:
    async with api.db.sessions() as s:
        orders = await s.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.work_order_no == number))
        items = await s.scalar(select(func.count()).select_from(Complaint).where(Complaint.work_order_no == number))
    return int(orders or 0), int(items or 0)


async def test_the_same_number_from_two_platforms_is_two_orders(api: ComplaintsApi) -> None:
    here, there = new_village(), new_village()
    first_platform, second_platform = hotline(here[:6]), hotline(there[:6])
    mine = work_order(here)
    theirs = work_order(there, work_order_no=mine["work_order_no"], content="另一平台的另一件工单。")
    number = mine["work_order_no"]

    a = await api.post(WORK_ORDERS, first_platform, mine)
    b = await api.post(WORK_ORDERS, second_platform, theirs)
    assert (a.status_code, b.status_code) == (201, 201), (a.text, b.text)
    assert a.json()["complaint_id"] != b.json()["complaint_id"]
    # Neither answer says anything of the other order: not its id, not its region.
    assert a.json()["complaint_id"] not in b.text
    assert here not in b.text
    assert await rows_under(api, number) == (2, 2)

    # Each reads its own order under the number, and its repeat answers with its own first answer.
    for platform, body, answer in ((first_platform, mine, a), (second_platform, theirs, b)):
        order = await read(api, number, platform)
        assert order["complaint_id"] == answer.json()["complaint_id"]
        again = await api.post(WORK_ORDERS, platform, body)
        assert again.status_code == 200, again.text
        assert again.json() == answer.json()
    assert a.json()["complaint_id"] not in str(await read(api, number, second_platform))
    assert await rows_under(api, number) == (2, 2)

    # Staff see two items, each in its own county.
    first = await api.item(a.json()["complaint_id"], township_officer(here))
    second = await api.item(b.json()["complaint_id"], township_officer(there))
    assert (first["content"], second["content"]) == (mine["content"], theirs["content"])

    # Each platform's delivery log holds its own order's pushes only.
    await api.investigate_and_resolve(b.json()["complaint_id"], township_officer(there))
    log = await api.get("/api/v1/hotline/deliveries", first_platform, {"work_order_no": number})
    assert log.status_code == 200, log.text
    assert log.json()["items"] == []
    staff_log = await api.get(f"{COMPLAINTS}/{a.json()['complaint_id']}/deliveries", township_officer(here))
    assert staff_log.json() == []


async def test_a_platform_learns_nothing_of_another_platforms_or_staffs_items_through_a_repeat(
    api: ComplaintsApi,
) -> None:
    county = new_county()
    village = f"{county}101001"
    phone = fresh_phone()
    one, other = hotline(county), hotline(county)
    staff_item = await api.log_item(letter(village, caller={"name": "李四", "phone": phone}, received_at=received(19)))
    elsewhere = await api.post_work_order(work_order(village, caller=caller(phone), received_at=received(20)), other)
    body = work_order(village, caller=caller(phone), received_at=received(21))
    mine = await api.post_work_order(body, one)

    # Staff see the petition: the same person, by letter, then through each platform.
    item = await api.item(mine["complaint_id"], county_officer(county))
    assert item["repeat_of"] == elsewhere["complaint_id"]
    assert {p["complaint_id"] for p in item["petition"]} == {
        staff_item["complaint_id"],
        elsewhere["complaint_id"],
        mine["complaint_id"],
    }
    # The platform reads none of it: no earlier number, no id, in the body or the history.
    order = await read(api, body["work_order_no"], one)
    assert order["repeat_of_work_order_no"] is None
    text = str(order)
    for hidden in (elsewhere["work_order_no"], elsewhere["complaint_id"], staff_item["complaint_id"]):
        assert hidden not in text
    assert order["history"][-1]["note"].endswith("重复件")

    # Its own earlier work order it is told of.
    again = work_order(village, caller=caller(phone), received_at=received(22))
    await api.post_work_order(again, one)
    repeat = await read(api, again["work_order_no"], one)
    assert repeat["repeat_of_work_order_no"] == body["work_order_no"]
    assert repeat["history"][-1]["note"].endswith(f"重复件，关联 {body['work_order_no']}")


async def test_repeats_are_linked_within_the_county_only(api: ComplaintsApi) -> None:
    here, there = new_village(), new_village()
    phone = fresh_phone()
    platform = hotline("65")
    first = await api.post_work_order(work_order(here, caller=caller(phone), received_at=received(20)), platform)
    second = await api.post_work_order(work_order(there, caller=caller(phone)), platform)
    item = await api.item(second["complaint_id"], county_officer(there))
    assert (item["repeat_of"], item["petition_id"]) == (None, second["complaint_id"])
    assert first["complaint_id"] not in str(item)
    assert (await read(api, second["work_order_no"], platform))["repeat_of_work_order_no"] is None


async def test_staff_see_only_the_repeats_inside_their_jurisdiction(api: ComplaintsApi) -> None:
    county = new_county()
    place_a, place_b = f"{county}101001", f"{county}102001"
    phone = fresh_phone()
    first = await api.log_item(letter(place_a, caller={"name": "李四", "phone": phone}))
    api.clock.set_day(date(2026, 11, 24))
    second = await api.log_item(letter(place_b, caller={"name": "李四", "phone": phone}))
    assert second["repeat_of"] is None  # township B's officer logged it: the first is in township A
    assert [p["complaint_id"] for p in second["petition"]] == [second["complaint_id"]]

    whole = await api.item(second["complaint_id"], county_officer(county))
    assert whole["repeat_of"] == first["complaint_id"]
    assert [p["complaint_id"] for p in whole["petition"]] == [first["complaint_id"], second["complaint_id"]]
    # The repeat of an open item went to the township handling it: township A reads both.
    assert whole["assigned_unit"] == place_a[:9]
    handling = await api.item(second["complaint_id"], township_officer(place_a))
    assert handling["repeat_of"] == first["complaint_id"]

    # Township B reads its own place's item, but not township A's: neither in the petition nor in the list.
    officer_b = township_officer(place_b)
    own = await api.item(second["complaint_id"], officer_b)
    assert own["repeat_of"] is None
    assert [p["complaint_id"] for p in own["petition"]] == [second["complaint_id"]]
    listed = await api.get(COMPLAINTS, officer_b, {"region_code": place_b})
    assert listed.status_code == 200, listed.text
    [summary] = listed.json()["items"]
    assert summary["complaint_id"] == second["complaint_id"]
    assert summary["repeat_of"] is None
    county_list = await api.get(COMPLAINTS, county_officer(county), {"region_code": county, "repeats": "true"})
    assert [s["repeat_of"] for s in county_list.json()["items"]] == [first["complaint_id"]]
