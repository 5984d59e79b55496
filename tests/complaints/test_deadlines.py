"""Deadlines of the ledger (DOMAIN.md §6: the platform's, or the region's working days, 5 by default, *local*;
§10: working days follow the State Council schedule with its make-up days, and a year without a loaded schedule
gets a provisional deadline, never a refusal), the local figures that set them, and the overdue list."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import StaffRole
from tests.complaints.support import (
    COMPLAINTS,
    ComplaintsApi,
    admin,
    county_officer,
    hotline,
    letter,
    new_county,
    new_village,
    staff,
    township_officer,
    work_order,
)

POLICIES = f"{COMPLAINTS}/policies"


def at(day: date, hour: int = 10) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ).isoformat()


def end_of(day: date) -> datetime:
    # A deadline day ends at midnight in China (DOMAIN.md §12).
    return datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=CHINA_TZ)


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


async def logged_on(api: ComplaintsApi, village: str, received: date) -> dict[str, Any]:
    return await api.log_item(letter(village, received_at=at(received)))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # Mon 23 Nov 2026 + 5 working days: Tue..Fri and Mon 30 Nov.
        (date(2026, 11, 23), date(2026, 11, 30)),
        # A Friday: the weekend is not counted.
        (date(2026, 11, 20), date(2026, 11, 27)),
        # A Saturday (the item is received, not worked on): the five working days after it.
        (date(2026, 11, 21), date(2026, 11, 27)),
        # Tue 29 Sep 2026: Wed 30 Sep; National Day 1-7 Oct; Thu 8, Fri 9, Sat 10 (make-up), Mon 12 Oct.
        (date(2026, 9, 29), date(2026, 10, 12)),
        # Thu 12 Feb 2026: Fri 13, Sat 14 (make-up); Spring Festival 15-23 Feb; Tue 24, Wed 25, Thu 26 Feb.
        (date(2026, 2, 12), date(2026, 2, 26)),
    ],
)
async def test_a_staff_item_is_due_five_working_days_after_receipt_on_the_state_council_schedule(
    api: ComplaintsApi, received: date, due: date
) -> None:
    village = new_village()
    item = await logged_on(api, village, received)
    assert instant(item["received_at"]) == datetime.fromisoformat(at(received))
    assert instant(item["due_at"]) == end_of(due)
    assert item["due_source"] == "working_days"
    assert item["due_provisional"] is False
    stored = await api.item(item["complaint_id"], township_officer(village))
    assert instant(stored["due_at"]) == end_of(due)


async def test_the_business_day_of_receipt_is_the_day_in_china(api: ComplaintsApi) -> None:
    # Sunday 17:00 UTC is Monday 01:00 in China (DOMAIN.md §12): counted from Monday, not from Sunday.
    village = new_village()
    item = await api.log_item(letter(village, received_at="2026-11-22T17:00:00+00:00"))
    assert instant(item["due_at"]) == end_of(date(2026, 11, 30))


async def test_a_deadline_running_into_a_year_not_yet_loaded_is_provisional(api: ComplaintsApi) -> None:
    shown = await api.get(f"{COMPLAINTS}/calendar/2027", admin())
    assert shown.status_code == 200, shown.text
    api.clock.set_day(date(2026, 12, 28), hour=11)
    # Mon 28 Dec 2026: Tue 29, Wed 30, Thu 31; Fri 1 Jan 2027 is New Year's Day; Mon 4, Tue 5 Jan.
    item = await logged_on(api, new_village(), date(2026, 12, 28))
    # Provisional unless another test of the session has loaded 2027 meanwhile.
    assert item["due_provisional"] is shown.json()["provisional"]
    if item["due_provisional"]:
        assert instant(item["due_at"]) == end_of(date(2027, 1, 5))
    in_2026 = await logged_on(api, new_village(), date(2026, 12, 23))  # Thu 24 ... Wed 30 Dec
    assert instant(in_2026["due_at"]) == end_of(date(2026, 12, 30))
    assert in_2026["due_provisional"] is False


async def test_a_hotline_work_order_keeps_the_platforms_deadline(api: ComplaintsApi) -> None:
    village = new_village()
    body = work_order(village, due_at=datetime(2026, 11, 24, 18, 0, tzinfo=CHINA_TZ).isoformat())
    created = await api.post_work_order(body, hotline(village[:6]))
    item = await api.item(created["complaint_id"], township_officer(village))
    # The platform's deadline wins over the region's working days (CONTRACTS.md §2), even when it is shorter.
    assert instant(item["due_at"]) == datetime(2026, 11, 24, 18, 0, tzinfo=CHINA_TZ)
    assert item["due_source"] == "platform"
    assert item["due_provisional"] is False


async def add_policy(api: ComplaintsApi, region: str, effective: date, reply_days: int, **extra: Any) -> Any:
    body = {"region_prefix": region, "effective_from": effective.isoformat(), "reply_days": reply_days}
    return await api.post(POLICIES, county_officer(region), {"repeat_window_days": 30, **body, **extra})


async def test_a_county_sets_its_own_reply_days_and_a_township_its_own(api: ComplaintsApi) -> None:
    county = new_county()
    plain, own, later = f"{county}101001", f"{county}102001", f"{county}103001"
    created = await add_policy(api, county, date(2026, 11, 1), 3)
    assert created.status_code == 201, created.text
    assert created.json()["reply_days"] == 3
    assert created.json()["region_prefix"] == county
    township = await add_policy(api, own[:9], date(2026, 11, 1), 8)
    assert township.status_code == 201, township.text
    # From 1 December only: items received before it keep the county's figures.
    assert (await add_policy(api, later[:9], date(2026, 12, 1), 10)).status_code == 201

    received = date(2026, 11, 23)
    in_county = await logged_on(api, plain, received)
    assert instant(in_county["due_at"]) == end_of(date(2026, 11, 26))  # Tue, Wed, Thu
    # The most specific region wins: 8 working days, to Thu 3 Dec.
    in_township = await logged_on(api, own, received)
    assert instant(in_township["due_at"]) == end_of(date(2026, 12, 3))
    before_its_policy = await logged_on(api, later, received)
    assert instant(before_its_policy["due_at"]) == end_of(date(2026, 11, 26))

    officer = county_officer(county)
    today = await api.get(f"{POLICIES}/in-force", officer, {"region_code": later[:9]})
    assert today.status_code == 200, today.text
    assert (today.json()["region_prefix"], today.json()["reply_days"]) == (county, 3)
    december = await api.get(f"{POLICIES}/in-force", officer, {"region_code": later, "on": "2026-12-05"})
    assert (december.json()["region_prefix"], december.json()["reply_days"]) == (later[:9], 10)
    listed = await api.get(POLICIES, officer, {"region_code": later})
    assert listed.status_code == 200, listed.text
    # Its own figures and its parents' (the national default included), never a sibling township's.
    assert [(p["region_prefix"], p["reply_days"]) for p in listed.json()] == [("", 5), (county, 3), (later[:9], 10)]


async def test_figures_are_kept_and_set_only_by_the_county_within_limits(api: ComplaintsApi) -> None:
    county = new_county()
    assert (await add_policy(api, county, date(2026, 11, 1), 3)).status_code == 201
    again = await add_policy(api, county, date(2026, 11, 1), 4)
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "policy_exists"
    body = {"region_prefix": county, "effective_from": "2026-11-02", "reply_days": 4, "repeat_window_days": 30}
    township = await api.post(POLICIES, township_officer(f"{county}101"), {**body, "region_prefix": f"{county}101"})
    assert township.status_code == 403, township.text
    elsewhere = await api.post(POLICIES, county_officer(new_county()), body)
    assert elsewhere.status_code == 403, elsewhere.text
    for days in (0, 61):
        invalid = await api.post(POLICIES, county_officer(county), {**body, "reply_days": days})
        assert invalid.status_code == 422, invalid.text
    listed = await api.get(POLICIES, county_officer(county), {"region_code": county})
    # Only the first policy exists: nothing above changed the figures.
    assert [(p["region_prefix"], p["reply_days"]) for p in listed.json()] == [("", 5), (county, 3)]
    assert listed.json()[1]["effective_from"] == "2026-11-01"


async def test_a_year_without_a_loaded_schedule_gets_a_provisional_deadline_until_it_is_loaded(
    api: ComplaintsApi,
) -> None:
    # 2029 (not 2027, which other suites may load): neither shipped (2024-2026) nor loaded in this session.
    calendar = f"{COMPLAINTS}/calendar/2029"
    shown = await api.get(calendar, admin())
    assert shown.status_code == 200, shown.text
    assert shown.json()["provisional"] is True
    api.clock.set_day(date(2029, 4, 2), hour=11)
    village = new_village()
    # Mon 2 Apr 2029: statutory Qingming is Wed 4 Apr, so Tue 3, Thu 5, Fri 6, Mon 9, Tue 10.
    guessed = await logged_on(api, village, date(2029, 4, 2))
    assert instant(guessed["due_at"]) == end_of(date(2029, 4, 10))
    assert guessed["due_provisional"] is True
    assert guessed["due_source"] == "working_days"

    notice = {
        "holidays": ["2029-01-01", "2029-04-04", "2029-04-05", "2029-04-06"],
        "makeup_workdays": ["2029-04-08"],
        "source": "国办发明电〔2028〕测试号",
    }
    loaded = await api.put(calendar, admin(), notice)
    assert loaded.status_code == 200, loaded.text
    assert loaded.json()["loaded"] is True
    # Tue 3, Sun 8 (make-up), Mon 9, Tue 10, Wed 11.
    known = await logged_on(api, village, date(2029, 4, 2))
    assert instant(known["due_at"]) == end_of(date(2029, 4, 11))
    assert known["due_provisional"] is False
    # The earlier deadline is not recomputed: it was what the ledger said at the time.
    again = await api.item(guessed["complaint_id"], township_officer(village))
    assert instant(again["due_at"]) == end_of(date(2029, 4, 10))
    assert again["due_provisional"] is True


async def overdue_ids(api: ComplaintsApi, region: str, who: Any) -> list[str]:
    reply = await api.get(f"{COMPLAINTS}/overdue", who, {"region_code": region})
    assert reply.status_code == 200, reply.text
    return [s["complaint_id"] for s in reply.json()["items"]]


async def test_the_overdue_list_shows_open_items_past_their_deadline_oldest_deadline_first(
    api: ComplaintsApi,
) -> None:
    county = new_county()
    village, elsewhere = f"{county}101001", f"{county}102001"
    officer = township_officer(village)
    # Logged out of deadline order, to show the list orders by deadline.
    later = await logged_on(api, village, date(2026, 11, 23))  # due Mon 30 Nov
    first = await logged_on(api, village, date(2026, 11, 20))  # due Fri 27 Nov
    answered_late = await logged_on(api, village, date(2026, 11, 23))
    answered_in_time = await logged_on(api, village, date(2026, 11, 23))
    await api.investigate_and_resolve(answered_in_time["complaint_id"], officer)
    assert await overdue_ids(api, village, officer) == []

    api.clock.at = datetime(2026, 12, 1, 10, 0, tzinfo=CHINA_TZ)
    await api.investigate_and_resolve(answered_late["complaint_id"], officer)
    not_yet = await logged_on(api, village, date(2026, 12, 1))  # due Tue 8 Dec
    assert await overdue_ids(api, village, officer) == [first["complaint_id"], later["complaint_id"]]
    page = await api.get(f"{COMPLAINTS}/overdue", officer, {"region_code": village})
    assert {(s["overdue"], s["late"]) for s in page.json()["items"]} == {(True, True)}

    ledger = await api.get(COMPLAINTS, officer, {"region_code": village})
    flags = {s["complaint_id"]: (s["overdue"], s["late"]) for s in ledger.json()["items"]}
    assert flags[answered_late["complaint_id"]] == (False, True)
    assert flags[answered_in_time["complaint_id"]] == (False, False)
    assert flags[not_yet["complaint_id"]] == (False, False)

    # The city watches its counties' lists (DOMAIN.md §1).
    city = staff(StaffRole.city_supervisor, county[:4])
    assert await overdue_ids(api, county, city) == [first["complaint_id"], later["complaint_id"]]
    other_township = township_officer(elsewhere)
    assert await overdue_ids(api, elsewhere[:9], other_township) == []
    refused = await api.get(f"{COMPLAINTS}/overdue", other_township, {"region_code": village[:9]})
    assert refused.status_code == 403, refused.text


async def test_the_overdue_list_pages_by_deadline(api: ComplaintsApi) -> None:
    village = new_village()
    officer = township_officer(village)
    ids = [(await logged_on(api, village, date(2026, 11, day)))["complaint_id"] for day in (19, 17, 18)]
    api.clock.at = datetime(2026, 12, 10, 10, tzinfo=CHINA_TZ) + timedelta(minutes=1)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"region_code": village, "limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await api.get(f"{COMPLAINTS}/overdue", officer, params)).json()
        seen += [s["complaint_id"] for s in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [ids[1], ids[2], ids[0]]


async def test_counts_and_the_due_list_cover_the_open_items_of_the_jurisdiction(api: ComplaintsApi) -> None:
    county = new_county()
    village, elsewhere = f"{county}101001", f"{county}102001"
    officer = township_officer(village)
    later = await logged_on(api, village, date(2026, 11, 23))  # due Mon 30 Nov
    first = await logged_on(api, village, date(2026, 11, 20))  # due Fri 27 Nov
    answered = await logged_on(api, village, date(2026, 11, 23))
    await api.investigate_and_resolve(answered["complaint_id"], officer)
    theirs = await logged_on(api, elsewhere, date(2026, 11, 23))
    api.clock.at = datetime(2026, 11, 28, 10, 0, tzinfo=CHINA_TZ)  # the first is past its deadline
    reply = await api.get(f"{COMPLAINTS}/counts", officer)
    assert reply.status_code == 200, reply.text
    counts = reply.json()
    assert counts["overdue"] == 1
    assert counts["by_status"].pop("resolved") == 1
    assert sum(counts["by_status"].values()) == 2  # the two still open, whatever step they are at
    due = await api.get(f"{COMPLAINTS}/due", officer)
    assert due.status_code == 200, due.text
    assert [s["complaint_id"] for s in due.json()["items"]] == [first["complaint_id"], later["complaint_id"]]
    paged = (await api.get(f"{COMPLAINTS}/due", officer, {"limit": 1})).json()
    assert len(paged["items"]) == 1
    assert paged["next_cursor"]
    # The county counts both townships; the other township only its own; another county nothing.
    whole = (await api.get(f"{COMPLAINTS}/counts", county_officer(county))).json()
    assert (sum(whole["by_status"].values()), whole["overdue"]) == (4, 1)
    other = township_officer(elsewhere)
    assert [s["complaint_id"] for s in (await api.get(f"{COMPLAINTS}/due", other)).json()["items"]] == [
        theirs["complaint_id"]
    ]
    stranger = county_officer(new_county())
    assert (await api.get(f"{COMPLAINTS}/counts", stranger)).json() == {"by_status": {}, "overdue": 0}
    for path in (f"{COMPLAINTS}/counts", f"{COMPLAINTS}/due"):
        refused = await api.get(path, stranger, {"region_code": county})
        assert (refused.status_code, refused.json()["code"]) == (403, "outside_jurisdiction")
        assert (await api.get(path, officer, {"region_code": "14x"})).status_code == 422
    assert (await api.get(f"{COMPLAINTS}/due", officer, {"cursor": "not-a-cursor"})).status_code == 422
