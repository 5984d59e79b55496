"""Acceptance due dates through the API with the service clock fixed (DOMAIN.md §3.3, §10, §12).

Every expected date below was worked out by hand from the State Council schedule (DOMAIN.md §10 and
libs/contracts/calendar/cn_2024_2026.json), never by calling the calendar code under test. Procedure rules and the
calendar table are shared by the whole session: rules go on counties of their own (one per test), and the only year
this file loads is one nothing else uses.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from libs.contracts.staff import StaffRole
from tests.intake.support import IntakeApi, application_body, new_village, staff

APPS = "/api/v1/intake/applications"
RULES = "/api/v1/intake/procedure-rules"
CALENDAR = "/api/v1/intake/calendar"

# Counties of their own for rule tests, under a province prefix no other test sets rules on.
_COUNTIES = iter(f"62{n:04d}" for n in random.sample(range(1000, 10000), 200))


def fresh_county() -> str:
    return next(_COUNTIES)


async def accepted(api: IntakeApi, region: str, day: date, **overrides: Any) -> dict[str, Any]:
    """An application created, submitted and accepted on `day` by the township; the accepted detail."""
    api.clock.set_day(day)
    officer = staff(StaffRole.township_officer, region[:9])
    created = await api.post(APPS, officer, application_body(region, **overrides))
    assert created.status_code == 201, created.text
    app_id = created.json()["application_id"]
    submitted = await api.post(f"{APPS}/{app_id}/submit", officer)
    assert submitted.status_code == 200, submitted.text
    answer = await api.post(f"{APPS}/{app_id}/accept", officer)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


# ---- the national 30/45 working days across the holiday schedule ------------------------------------------------


async def test_accepted_tuesday_10_feb_2026_is_due_monday_30_mar_across_spring_festival(api: IntakeApi) -> None:
    app = await accepted(api, new_village(fresh_county()), date(2026, 2, 10))

    # Sat 14 Feb is a make-up working day, 15–23 Feb the break, Sat 28 Feb a make-up day again (DOMAIN.md §10).
    assert (app["due_date"], app["due_date_provisional"]) == ("2026-03-30", False)
    assert app["status"] == "accepted"
    assert app["history"][-1]["action"] == "accepted"
    assert app["history"][-1]["detail"] == {"due_date": "2026-03-30", "provisional": False}
    [event] = await api.outbox_events(f"application/{app['application_id']}")
    assert event.type == "application-submitted"
    assert (event.data["due_date"], event.data["due_date_provisional"]) == ("2026-03-30", False)


async def test_accepted_friday_18_sep_2026_counts_make_up_days_around_national_day(api: IntakeApi) -> None:
    app = await accepted(api, new_village(fresh_county()), date(2026, 9, 18))

    # Sun 20 Sep works (1), 21–24 (5), Fri 25 Sep Mid-Autumn off, 28–30 (8), 1–7 Oct off, 8–9 Oct (10),
    # Sat 10 Oct works (11), 12–30 Oct (26), 2–5 Nov (30).
    assert (app["due_date"], app["due_date_provisional"]) == ("2026-11-05", False)


async def test_a_due_date_in_an_unloaded_year_is_provisional_not_refused(api: IntakeApi) -> None:
    app = await accepted(api, new_village(fresh_county()), date(2026, 12, 14))

    # 15–31 Dec give 13 working days; 2027 is counted from its statutory days only (1 Jan off): 4–26 Jan give 17.
    assert (app["due_date"], app["due_date_provisional"]) == ("2027-01-26", True)
    [event] = await api.outbox_events(f"application/{app['application_id']}")
    assert event.data["due_date_provisional"] is True


async def test_extension_runs_45_working_days_from_acceptance_once(api: IntakeApi) -> None:
    region = new_village(fresh_county())
    app = await accepted(api, region, date(2026, 2, 10))
    officer = staff(StaffRole.township_officer, region[:9])
    url = f"{APPS}/{app['application_id']}/extend"

    empty = await api.post(url, officer, {"reason": "  "})
    assert empty.status_code == 422
    extended = await api.post(url, officer, {"reason": "家庭成员户籍在外省，需异地核查"})

    # 30 Mar is the 30th working day; 31 Mar–3 Apr (34), Mon 6 Apr Qingming off, 7–10 Apr (38), 13–17 (43), 20–21 (45).
    assert extended.status_code == 200, extended.text
    assert (extended.json()["due_date"], extended.json()["extension_reason"]) == (
        "2026-04-21",
        "家庭成员户籍在外省，需异地核查",
    )
    again = await api.post(url, officer, {"reason": "再次延期"})
    assert (again.status_code, again.json()["code"]) == (409, "already_extended")
    shown = await api.get(f"{APPS}/{app['application_id']}", officer)
    assert shown.json()["due_date"] == "2026-04-21"
    assert [h["action"] for h in shown.json()["history"]].count("extended") == 1
    events = await api.outbox_events(f"application/{app['application_id']}")
    assert [e.type for e in events] == ["application-submitted", "application-deadline-extended"]
    assert events[1].data["due_date"] == "2026-04-21"


async def test_emergency_temporary_assistance_is_due_in_3_working_days(api: IntakeApi) -> None:
    region = new_village(fresh_county())
    app = await accepted(api, region, date(2026, 2, 12), program="temporary", emergency=True)

    # Fri 13 Feb (1), Sat 14 Feb make-up (2), 15–23 Feb off, Tue 24 Feb (3) (seed 004 §7).
    assert (app["due_date"], app["emergency"]) == ("2026-02-24", True)


async def test_emergency_is_only_for_temporary_assistance_and_nothing_is_created(api: IntakeApi) -> None:
    region = new_village(fresh_county())
    officer = staff(StaffRole.township_officer, region[:9])

    refused = await api.post(APPS, officer, application_body(region, emergency=True))

    assert (refused.status_code, refused.json()["code"]) == (422, "emergency_only_temporary")
    listed = await api.get(APPS, officer, {"region_code": region})
    assert listed.json()["items"] == []


# ---- the calendar admin API ---------------------------------------------------------------------------------------


SCHEDULE_2032: dict[str, Any] = {
    # A schedule of our own making, unlike the statutory days: 1–2 Jan and Mon 9–Fri 13 Feb off, Sun 1 Feb works.
    "holidays": ["2032-01-01", "2032-01-02", "2032-02-09", "2032-02-10", "2032-02-11", "2032-02-12", "2032-02-13"],
    "makeup_workdays": ["2032-02-01"],
    "source": "国办发明电〔2031〕测试号",
}


async def test_after_an_admin_loads_a_year_acceptances_honour_it_and_are_not_provisional(api: IntakeApi) -> None:
    admin = staff(StaffRole.system_admin, "")
    before = await accepted(api, new_village(fresh_county()), date(2031, 12, 31))
    assert before["due_date_provisional"] is True

    loaded = await api.put(f"{CALENDAR}/2032", admin, SCHEDULE_2032)

    assert loaded.status_code == 200, loaded.text
    assert loaded.json() == {"year": 2032, **SCHEDULE_2032, "loaded": True, "provisional": False}
    shown = await api.get(f"{CALENDAR}/2032", staff(StaffRole.county_officer, "140402"))
    assert (shown.json()["loaded"], shown.json()["provisional"]) == (True, False)
    after = await accepted(api, new_village(fresh_county()), date(2031, 12, 31))
    # 5–30 Jan (20), Sun 1 Feb (21), 2–6 Feb (26), 9–13 Feb off, 16–19 Feb (30).
    assert (after["due_date"], after["due_date_provisional"]) == ("2032-02-19", False)
    assert before["due_date"] != after["due_date"]


async def test_only_system_administrators_load_a_calendar(api: IntakeApi) -> None:
    for who in (staff(StaffRole.county_officer, "140402"), staff(StaffRole.city_supervisor, "1404")):
        refused = await api.put(f"{CALENDAR}/2034", who, SCHEDULE_2032 | {"holidays": ["2034-01-02"]})
        assert (refused.status_code, refused.json()["code"]) == (403, "role_required")

    shown = await api.get(f"{CALENDAR}/2034", staff(StaffRole.county_officer, "140402"))
    assert (shown.json()["loaded"], shown.json()["provisional"]) == (False, True)


async def test_an_invalid_schedule_is_422_with_its_code_and_loads_nothing(api: IntakeApi) -> None:
    admin = staff(StaffRole.system_admin, "")
    cases = [
        # Tue 4 Jan 2033 is a weekday: it cannot be a make-up working day.
        ({"holidays": [], "makeup_workdays": ["2033-01-04"], "source": "x"}, "makeup_day_not_weekend"),
        ({"holidays": ["2034-01-02"], "makeup_workdays": [], "source": "x"}, "date_outside_year"),
        ({"holidays": ["2033-01-08"], "makeup_workdays": ["2033-01-08"], "source": "x"}, "day_both_off_and_working"),
        ({"holidays": ["not a date"], "makeup_workdays": [], "source": "x"}, "validation_failed"),
        ({"holidays": [], "makeup_workdays": []}, "validation_failed"),
    ]
    for body, code in cases:
        refused = await api.put(f"{CALENDAR}/2033", admin, body)
        assert (refused.status_code, refused.json()["code"]) == (422, code), body

    shown = await api.get(f"{CALENDAR}/2033", admin)
    assert (shown.json()["loaded"], shown.json()["provisional"]) == (False, True)
    too_early = await api.put(f"{CALENDAR}/1999", admin, {"holidays": [], "makeup_workdays": [], "source": "x"})
    assert (too_early.status_code, too_early.json()["code"]) == (422, "validation_failed")


# ---- local procedure rules (DOMAIN.md §3.3 "local rules are stricter", §12 "most specific prefix wins") -------------


def rule(prefix: str, effective_from: str, decision: int, extended: int, **more: int) -> dict[str, Any]:
    return {
        "region_prefix": prefix,
        "effective_from": effective_from,
        "decision_days": decision,
        "extended_days": extended,
        **more,
    }


async def test_a_stricter_county_rule_applies_to_acceptances_from_its_date(api: IntakeApi) -> None:
    county = fresh_county()
    officer = staff(StaffRole.county_officer, county)

    added = await api.post(RULES, officer, rule(county, "2026-06-01", 20, 30))

    assert added.status_code == 201, added.text
    assert added.json() | {"rule_id": 0, "created_at": ""} == {
        **rule(county, "2026-06-01", 20, 30),
        "emergency_days": 3,
        "lead_days": 5,
        "high_age_min_years": 80,
        "rule_id": 0,
        "created_by": officer.subject,
        "created_at": "",
    }
    # Fri 29 May: the national 30 days still (Fri 19 Jun Dragon Boat off) → Mon 13 Jul.
    earlier = await accepted(api, new_village(county), date(2026, 5, 29))
    assert earlier["due_date"] == "2026-07-13"
    # Mon 1 Jun: 20 days → 2–5 Jun (4), 8–12 (9), 15–18 (13), 22–26 (18), 29–30 Jun (20).
    later = await accepted(api, new_village(county), date(2026, 6, 1))
    assert later["due_date"] == "2026-06-30"
    extended = await api.post(
        f"{APPS}/{later['application_id']}/extend", staff(StaffRole.township_officer, county), {"reason": "特殊情况"}
    )
    # The county's extended limit is 30: 1–3 Jul (23), 6–10 (28), 13–14 Jul (30).
    assert extended.json()["due_date"] == "2026-07-14"


async def test_the_most_specific_prefix_in_force_wins(api: IntakeApi) -> None:
    county = fresh_county()
    village = new_village(county)
    township = village[:9]
    officer = staff(StaffRole.county_officer, county)
    assert (await api.post(RULES, officer, rule(county, "2026-06-01", 20, 30))).status_code == 201
    assert (await api.post(RULES, officer, rule(township, "2026-05-01", 25, 40))).status_code == 201

    in_force = await api.get(f"{RULES}/in-force", officer, {"region_code": village, "on": "2026-06-01"})
    assert (in_force.json()["region_prefix"], in_force.json()["decision_days"]) == (township, 25)
    other_village = f"{county}{(int(township[6:]) + 1) % 1000:03d}001"
    in_county = await api.get(f"{RULES}/in-force", officer, {"region_code": other_village, "on": "2026-06-01"})
    assert (in_county.json()["region_prefix"], in_county.json()["decision_days"]) == (county, 20)
    national = await api.get(f"{RULES}/in-force", officer, {"region_code": county, "on": "2026-04-30"})
    assert (national.json()["region_prefix"], national.json()["decision_days"]) == ("", 30)

    # Mon 1 Jun + 25 working days: 30 Jun is the 20th, 1–3 Jul (23), 6–7 Jul (25).
    assert (await accepted(api, village, date(2026, 6, 1)))["due_date"] == "2026-07-07"
    assert (await accepted(api, other_village, date(2026, 6, 1)))["due_date"] == "2026-06-30"


async def test_rules_above_the_national_cap_are_422_and_add_nothing(api: IntakeApi) -> None:
    county = fresh_county()
    officer = staff(StaffRole.county_officer, county)
    cases = [
        (rule(county, "2026-06-01", 31, 45), "above_national_cap"),
        (rule(county, "2026-06-01", 30, 46), "above_national_cap"),
        (rule(county, "2026-06-01", 20, 15), "above_national_cap"),
        (rule(county, "2026-06-01", 20, 30, emergency_days=21), "out_of_range"),
        (rule(county, "2026-06-01", "twenty", 30), "validation_failed"),  # type: ignore[arg-type]
        ({"region_prefix": county, "decision_days": 20, "extended_days": 30}, "validation_failed"),
        (rule("62000", "2026-06-01", 20, 30), "validation_failed"),
    ]
    for body, code in cases:
        refused = await api.post(RULES, officer, body)
        assert (refused.status_code, refused.json()["code"]) == (422, code), body

    rules = await api.get(RULES, officer, {"region_code": county})
    assert [r["region_prefix"] for r in rules.json()] == [""]


async def test_a_rule_outside_the_officers_jurisdiction_is_403(api: IntakeApi) -> None:
    county, elsewhere = fresh_county(), fresh_county()
    officer = staff(StaffRole.county_officer, county)

    outside = await api.post(RULES, officer, rule(elsewhere, "2026-06-01", 20, 30))
    township = await api.post(
        RULES, staff(StaffRole.township_officer, county + "001"), rule(county, "2026-06-01", 20, 30)
    )

    assert (outside.status_code, outside.json()["code"]) == (403, "outside_jurisdiction")
    assert (township.status_code, township.json()["code"]) == (403, "role_required")
    admin = staff(StaffRole.system_admin, "")
    for region in (county, elsewhere):
        assert [r["region_prefix"] for r in (await api.get(RULES, admin, {"region_code": region})).json()] == [""]
    foreign = await api.get(f"{RULES}/in-force", officer, {"region_code": elsewhere})
    assert foreign.status_code == 403


async def test_the_same_prefix_and_date_twice_is_409_and_the_first_rule_stays(api: IntakeApi) -> None:
    county = fresh_county()
    officer = staff(StaffRole.county_officer, county)
    first = await api.post(RULES, officer, rule(county, "2026-06-01", 20, 30))

    second = await api.post(RULES, officer, rule(county, "2026-06-01", 25, 40))

    assert (second.status_code, second.json()["code"]) == (409, "rule_exists")
    rules = (await api.get(RULES, officer, {"region_code": county})).json()
    assert [(r["region_prefix"], r["decision_days"]) for r in rules] == [("", 30), (county, 20)]
    assert rules[1]["rule_id"] == first.json()["rule_id"]
    later = await api.post(RULES, officer, rule(county, "2026-09-01", 25, 40))
    assert later.status_code == 201
    in_force = await api.get(f"{RULES}/in-force", officer, {"region_code": county, "on": "2026-09-01"})
    assert in_force.json()["decision_days"] == 25


async def test_the_rule_in_force_defaults_to_today_and_needs_a_region(api: IntakeApi) -> None:
    county = fresh_county()
    officer = staff(StaffRole.county_officer, county)
    await api.post(RULES, officer, rule(county, "2026-06-01", 20, 30, lead_days=3))
    api.clock.set_day(date(2026, 5, 31))

    today = await api.get(f"{RULES}/in-force", officer, {"region_code": county})
    api.clock.set_day(date(2026, 6, 1))
    tomorrow = await api.get(f"{RULES}/in-force", officer, {"region_code": county})
    missing = await api.get(f"{RULES}/in-force", officer)

    assert (today.json()["region_prefix"], tomorrow.json()["region_prefix"]) == ("", county)
    assert tomorrow.json()["lead_days"] == 3
    assert (missing.status_code, missing.json()["code"]) == (422, "validation_failed")


async def test_a_village_assistant_cannot_set_rules(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    assistant = staff(StaffRole.village_assistant, village)
    refused = await api.post(RULES, assistant, rule(village, "2026-06-01", 20, 30))
    assert (refused.status_code, refused.json()["code"]) == (403, "role_required")
    rules = await api.get(RULES, assistant, {"region_code": village})
    assert [r["region_prefix"] for r in rules.json()] == [""]
