"""Repeat petitions (DOMAIN.md §6: repeated items from the same person or about the same subject are linked, not
treated as new): linked within the region's window, answered by the unit that knows the matter, and a second call
for help while the first is open is not a second lead (§8)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from libs.contracts.clock import CHINA_TZ
from tests.complaints.support import (
    COMPLAINTS,
    ComplaintsApi,
    county_officer,
    fresh_id,
    fresh_phone,
    hotline,
    letter,
    new_county,
    new_village,
    township_officer,
    work_order,
)


def received(day: date, minute: int = 15) -> str:
    return datetime(day.year, day.month, day.day, 9, minute, tzinfo=CHINA_TZ).isoformat()


def caller(phone: str) -> dict[str, Any]:
    return {"name": "李四", "phone": phone, "anonymous": False}


def subject(id_number: str) -> dict[str, Any]:
    return {"name": "王五", "id_number": id_number}


async def post(api: ComplaintsApi, village: str, **overrides: Any) -> dict[str, Any]:
    created = await api.post_work_order(work_order(village, **overrides), hotline(village[:6]))
    return await api.item(created["complaint_id"], county_officer(village))


async def test_a_second_call_from_the_same_phone_joins_the_first_petition(api: ComplaintsApi) -> None:
    village = new_village()
    phone = fresh_phone()
    first = await post(api, village, caller=caller(phone), received_at=received(date(2026, 11, 20)))
    assert (first["repeat_of"], first["petition_id"]) == (None, first["complaint_id"])
    second = await post(api, village, caller=caller(phone), received_at=received(date(2026, 11, 23)))
    assert second["repeat_of"] == first["complaint_id"]
    assert second["petition_id"] == first["complaint_id"]
    assert [p["complaint_id"] for p in second["petition"]] == [first["complaint_id"], second["complaint_id"]]
    assert [p["repeat_reason"] for p in second["petition"]] == [None, "caller"]
    assert "重复件" in second["history"][-1]["note"]

    # A letter from the same phone, entered by staff, joins it too: the latest item is the one linked to.
    third = await api.log_item(letter(village, caller={"name": "李四", "phone": phone}))
    assert (third["repeat_of"], third["petition_id"]) == (second["complaint_id"], first["complaint_id"])
    assert [p["complaint_id"] for p in third["petition"]] == [
        first["complaint_id"],
        second["complaint_id"],
        third["complaint_id"],
    ]

    repeats = await api.get(COMPLAINTS, township_officer(village), {"region_code": village, "repeats": "true"})
    assert repeats.status_code == 200, repeats.text
    assert [s["complaint_id"] for s in repeats.json()["items"]] == [third["complaint_id"], second["complaint_id"]]
    firsts = await api.get(COMPLAINTS, township_officer(village), {"region_code": village, "repeats": "false"})
    assert [s["complaint_id"] for s in firsts.json()["items"]] == [first["complaint_id"]]


async def test_the_link_says_whether_the_caller_the_subject_or_both_are_the_same(api: ComplaintsApi) -> None:
    village = new_village()
    person = fresh_id()
    first = await post(api, village, subject=subject(person), received_at=received(date(2026, 11, 20)))
    by_subject = await post(api, village, subject=subject(person), received_at=received(date(2026, 11, 21)))
    assert (by_subject["repeat_of"], by_subject["petition"][-1]["repeat_reason"]) == (first["complaint_id"], "subject")

    phone = fresh_phone()
    other = fresh_id()
    start = await post(api, village, caller=caller(phone), subject=subject(other))
    both = await post(
        api, village, caller=caller(phone), subject=subject(other), received_at=received(date(2026, 11, 23), 30)
    )
    assert both["repeat_of"] == start["complaint_id"]
    assert both["petition"][-1]["repeat_reason"] == "caller_and_subject"

    # The caller's identity number links as the phone does.
    caller_id = fresh_id()
    known = {"name": "周九", "id_number": caller_id, "anonymous": False}
    one = await post(api, village, caller={**known, "phone": fresh_phone()})
    two = await post(
        api, village, caller={**known, "phone": fresh_phone()}, received_at=received(date(2026, 11, 23), 40)
    )
    assert (two["repeat_of"], two["petition"][-1]["repeat_reason"]) == (one["complaint_id"], "caller")


async def test_items_outside_the_window_are_new_matters(api: ComplaintsApi) -> None:
    village = new_village()
    late, in_time = fresh_phone(), fresh_phone()
    # The default window is 90 days: 24 Aug to 23 Nov is 91 days, 25 Aug to 23 Nov is 90.
    await post(api, village, caller=caller(late), received_at=received(date(2026, 8, 24)))
    edge = await post(api, village, caller=caller(in_time), received_at=received(date(2026, 8, 25)))
    unlinked = await post(api, village, caller=caller(late), received_at=received(date(2026, 11, 23)))
    assert (unlinked["repeat_of"], unlinked["petition_id"]) == (None, unlinked["complaint_id"])
    linked = await post(api, village, caller=caller(in_time), received_at=received(date(2026, 11, 23)))
    assert linked["repeat_of"] == edge["complaint_id"]


async def test_a_county_shortens_its_window(api: ComplaintsApi) -> None:
    county = new_county()
    village = f"{county}101001"
    policy = {"region_prefix": county, "effective_from": "2026-10-01", "reply_days": 5, "repeat_window_days": 30}
    added = await api.post(f"{COMPLAINTS}/policies", county_officer(county), policy)
    assert added.status_code == 201, added.text
    late, in_time = fresh_phone(), fresh_phone()
    await post(api, village, caller=caller(late), received_at=received(date(2026, 10, 23)))
    edge = await post(api, village, caller=caller(in_time), received_at=received(date(2026, 10, 24)))
    unlinked = await post(api, village, caller=caller(late), received_at=received(date(2026, 11, 23)))
    assert unlinked["repeat_of"] is None
    linked = await post(api, village, caller=caller(in_time), received_at=received(date(2026, 11, 23)))
    assert linked["repeat_of"] == edge["complaint_id"]


async def test_a_repeat_of_an_open_item_goes_to_the_unit_handling_it(api: ComplaintsApi) -> None:
    county = new_county()
    first_place, handling_unit, second_place = f"{county}101001", f"{county}102", f"{county}103001"
    phone = fresh_phone()
    first = await post(api, first_place, caller=caller(phone), received_at=received(date(2026, 11, 20)))
    moved = await api.act(first["complaint_id"], "assignment", county_officer(county), {"unit": handling_unit})
    assert moved.status_code == 200, moved.text
    second = await post(api, second_place, caller=caller(phone))
    assert second["repeat_of"] == first["complaint_id"]
    assert second["region_code"] == second_place
    assert second["assigned_unit"] == handling_unit
    # The township that handles the matter answers the repeat too; the place's own township only reads it.
    joined = await api.act(second["complaint_id"], "notes", township_officer(handling_unit), {"text": "并案核查"})
    assert joined.status_code == 201, joined.text
    other = await api.act(second["complaint_id"], "notes", township_officer(second_place), {"text": "核查"})
    assert other.status_code == 403, other.text

    # Once the first is closed, a further repeat goes to its own township again.
    await api.investigate_and_resolve(first["complaint_id"], township_officer(handling_unit))
    await api.investigate_and_resolve(second["complaint_id"], township_officer(handling_unit))
    third = await post(api, second_place, caller=caller(phone), received_at=received(date(2026, 11, 23), 45))
    assert third["repeat_of"] == second["complaint_id"]
    assert third["assigned_unit"] == second_place[:9]


async def help_events(api: ComplaintsApi, complaint_id: str) -> int:
    return len(await api.outbox_events("help-requested", subject=f"complaint/{complaint_id}"))


async def test_a_second_call_for_help_while_the_first_is_open_is_not_a_second_lead(api: ComplaintsApi) -> None:
    village = new_village()
    phone = fresh_phone()
    first = await post(
        api, village, category="help", caller=caller(phone), subject=None, received_at=received(date(2026, 11, 20))
    )
    assert await help_events(api, first["complaint_id"]) == 1
    second = await post(api, village, category="help", caller=caller(phone), subject=None)
    assert second["repeat_of"] == first["complaint_id"]
    assert await help_events(api, second["complaint_id"]) == 0


async def test_a_call_for_help_after_the_first_was_answered_is_a_new_lead(api: ComplaintsApi) -> None:
    village = new_village()
    phone = fresh_phone()
    first = await post(
        api, village, category="help", caller=caller(phone), subject=None, received_at=received(date(2026, 11, 20))
    )
    answer = {"finding": "not_applicable", "reply": "已上门了解", "feedback": {"text": "已告知", "method": "sms"}}
    done = await api.act(first["complaint_id"], "resolve", township_officer(village), answer)
    assert done.status_code == 200, done.text
    again = await post(api, village, category="help", caller=caller(phone), subject=None)
    assert again["repeat_of"] == first["complaint_id"]
    assert await help_events(api, again["complaint_id"]) == 1


async def test_different_callers_about_different_subjects_are_never_linked(api: ComplaintsApi) -> None:
    village = new_village()
    first = await post(api, village, received_at=received(date(2026, 11, 20)))
    second = await post(api, village)
    assert second["repeat_of"] is None
    assert second["petition_id"] == second["complaint_id"]
    assert [p["complaint_id"] for p in first["petition"]] == [first["complaint_id"]]
    # Two anonymous callers without a phone share nothing either.
    hidden = {"anonymous": True}
    one = await post(api, village, caller=hidden, subject=None)
    two = await post(api, village, caller=hidden, subject=None, received_at=received(date(2026, 11, 23), 50))
    assert (one["repeat_of"], two["repeat_of"]) == (None, None)


async def test_a_call_from_the_same_caller_in_another_county_is_not_linked(api: ComplaintsApi) -> None:
    """Repeats are linked within a county (issue 17): a link across counties showed one county's item to another."""
    here, there = new_village(), new_village()
    phone = fresh_phone()
    first = await post(api, here, caller=caller(phone), received_at=received(date(2026, 11, 20)))
    second = await post(api, there, caller=caller(phone))
    assert (second["repeat_of"], second["petition_id"]) == (None, second["complaint_id"])
    assert [p["complaint_id"] for p in second["petition"]] == [second["complaint_id"]]
    assert second["assigned_unit"] == there[:9]
    assert first["complaint_id"] not in str(second)


async def test_a_call_for_help_for_another_person_while_the_first_is_open_is_a_new_lead(api: ComplaintsApi) -> None:
    village = new_village()
    phone = fresh_phone()
    first = await post(api, village, category="help", caller=caller(phone), received_at=received(date(2026, 11, 20)))
    assert await help_events(api, first["complaint_id"]) == 1
    # The same village cadre's phone, about a different person in need.
    other = await post(api, village, category="help", caller=caller(phone), subject=subject(fresh_id()))
    assert other["repeat_of"] == first["complaint_id"]
    assert await help_events(api, other["complaint_id"]) == 1
