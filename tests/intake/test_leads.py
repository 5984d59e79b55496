"""Active-discovery leads through the staff API (DOMAIN.md §8): referral, close, assign, application, lists.

Each test works in counties and villages of its own (province 63, where no other test sets procedure rules), so the
lists it reads hold only its own leads; due dates are computed by hand from the 2026 schedule (DOMAIN.md §10).
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime
from typing import Any

from libs.contracts.staff import Scope, StaffRole
from tests.intake.support import IntakeApi, application_body, client, fresh_id, new_village, staff

LEADS = "/api/v1/intake/leads"
APPS = "/api/v1/intake/applications"
WARNINGS = "/api/v1/province/warnings"

_COUNTIES = iter(f"63{n:04d}" for n in random.sample(range(1000, 10000), 200))


def fresh_county() -> str:
    return next(_COUNTIES)


def referral(region: str, *, name: str = "赵大海", kind: str = "serious_illness", **person: Any) -> dict[str, Any]:
    return {
        "region_code": region,
        "person": {"name": name, "id_number": fresh_id(date(1962, 4, 9)), "phone": "13800000000", **person},
        "kind": kind,
        "detail": "入户走访发现：户主重病住院，家中无劳动力",
    }


async def refer(api: IntakeApi, region: str, **kw: Any) -> dict[str, Any]:
    answer = await api.post(LEADS, staff(StaffRole.village_assistant, region), referral(region, **kw))
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def listed(api: IntakeApi, region: str, **params: Any) -> list[dict[str, Any]]:
    answer = await api.get(LEADS, staff(StaffRole.township_officer, region[:9]), {"region_code": region, **params})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def test_a_village_referral_is_an_open_lead_due_in_5_working_days(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    api.clock.set_day(date(2026, 2, 12))
    id_number = fresh_id(date(1958, 11, 30))

    created = await api.post(
        LEADS, staff(StaffRole.village_assistant, village), referral(village, name="王小明", id_number=id_number)
    )

    assert created.status_code == 201, created.text
    lead = created.json()
    # Fri 13 Feb (1), Sat 14 Feb make-up (2), 15–23 Feb Spring Festival, 24–26 Feb (5).
    assert (lead["due_date"], lead["due_date_provisional"], lead["overdue"]) == ("2026-02-26", False, False)
    assert (lead["status"], lead["source"], lead["source_ref"], lead["kind"]) == (
        "open",
        "village_referral",
        None,
        "serious_illness",
    )
    masked = id_number[:6] + "********" + id_number[14:]
    shown = await api.get(f"{LEADS}/{lead['lead_id']}", staff(StaffRole.township_officer, village[:9]))
    assert shown.json()["contact"] == {
        "name": "王小明",
        "id_number_masked": masked,
        "phone": "13800000000",
        "address": "",
    }
    assert shown.json()["detail"] == "入户走访发现：户主重病住院，家中无劳动力"
    [item] = await listed(api, village)
    assert (item["lead_id"], item["name"]) == (lead["lead_id"], "王*明")
    assert id_number not in str(item)


async def test_a_referral_outside_the_assistants_village_is_403_and_creates_nothing(api: IntakeApi) -> None:
    county = fresh_county()
    own, other = new_village(county), new_village(county)

    refused = await api.post(LEADS, staff(StaffRole.village_assistant, own), referral(other))

    assert (refused.status_code, refused.json()["code"]) == (403, "outside_jurisdiction")
    assert await listed(api, other) == []
    city = await api.post(LEADS, staff(StaffRole.city_supervisor, county[:4]), referral(other))
    assert (city.status_code, city.json()["code"]) == (403, "role_required")


async def test_invalid_referrals_are_422_and_create_nothing(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    assistant = staff(StaffRole.village_assistant, village)
    good = referral(village)
    bad_id = good["person"]["id_number"][:-1] + ("0" if good["person"]["id_number"][-1] != "0" else "1")
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        ({**good, "person": {**good["person"], "id_number": bad_id}}, ["body", "person", "id_number"]),
        ({**good, "region_code": village[:9]}, ["body", "region_code"]),
        ({**good, "kind": "lottery_win"}, ["body", "kind"]),
        ({**good, "detail": ""}, ["body", "detail"]),
        ({k: v for k, v in good.items() if k != "person"}, ["body", "person"]),
        ({**good, "person": {**good["person"], "phone": "call me"}}, ["body", "person", "phone"]),
        ({**good, "priority": "high"}, ["body", "priority"]),
    ]
    for body, loc in cases:
        refused = await api.post(LEADS, assistant, body)
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_failed"), body
        assert loc in [e["loc"] for e in refused.json()["errors"]], refused.json()
        assert bad_id not in refused.text  # rejected input is never echoed (DOMAIN.md §11)

    assert await listed(api, village) == []


async def test_a_lead_closed_with_a_reason_cannot_be_closed_again(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    lead = await refer(api, village)
    officer = staff(StaffRole.township_officer, village[:9])
    url = f"{LEADS}/{lead['lead_id']}/close"

    assistant = await api.post(url, staff(StaffRole.village_assistant, village), {"reason": "declined", "note": "x"})
    unknown = await api.post(url, officer, {"reason": "bored", "note": "x"})
    no_note = await api.post(url, officer, {"reason": "declined"})
    assert (assistant.status_code, unknown.status_code, no_note.status_code) == (403, 422, 422)
    assert (await api.get(f"{LEADS}/{lead['lead_id']}", officer)).json()["status"] == "open"

    closed = await api.post(url, officer, {"reason": "declined", "note": "本人表示暂不申请"})

    assert closed.status_code == 200, closed.text
    assert (closed.json()["status"], closed.json()["closed_reason"], closed.json()["closed_note"]) == (
        "closed",
        "declined",
        "本人表示暂不申请",
    )
    assert closed.json()["ended_by"] == officer.subject
    again = await api.post(url, officer, {"reason": "unreachable", "note": "再次关闭"})
    assert (again.status_code, again.json()["code"]) == (409, "lead_not_open")
    shown = (await api.get(f"{LEADS}/{lead['lead_id']}", officer)).json()
    assert (shown["closed_reason"], shown["closed_note"]) == ("declined", "本人表示暂不申请")
    missing = await api.post(f"{LEADS}/{uuid.uuid4()}/close", officer, {"reason": "declined", "note": "x"})
    assert (missing.status_code, missing.json()["code"]) == (404, "lead_not_found")


async def test_a_county_officer_assigns_a_county_level_lead_to_a_township(api: IntakeApi) -> None:
    county = fresh_county()
    village = new_village(county)
    township = village[:9]
    warning = {
        "warning_id": f"w-{uuid.uuid4()}",
        "raised_at": datetime.now(UTC).isoformat(),
        "region_code": county,
        "kind": "income_drop",
        "person": {"id_number": fresh_id(date(1970, 1, 5)), "name": "钱多多"},
        "detail": "收入骤降",
    }
    received = await api.post(WARNINGS, client(Scope.province, "63"), warning)
    assert received.status_code == 202, received.text
    lead_id = received.json()["lead_id"]
    url = f"{LEADS}/{lead_id}/assign"
    county_officer = staff(StaffRole.county_officer, county)
    township_officer = staff(StaffRole.township_officer, township)
    assert (await api.get(f"{LEADS}/{lead_id}", township_officer)).status_code == 403

    refused = [
        await api.post(url, township_officer, {"region_code": township}),  # cannot see a county-level lead
        await api.post(url, county_officer, {"region_code": fresh_county() + "001"}),  # outside the county
        await api.post(url, county_officer, {"region_code": county}),  # not a township or village
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [
        (403, "outside_jurisdiction"),
        (403, "outside_jurisdiction"),
        (422, "validation_failed"),
    ]
    assert (await api.get(f"{LEADS}/{lead_id}", county_officer)).json()["region_code"] == county

    assigned = await api.post(url, county_officer, {"region_code": township})

    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["region_code"], assigned.json()["status"]) == (township, "open")
    shown = await api.get(f"{LEADS}/{lead_id}", township_officer)
    assert (shown.status_code, shown.json()["source"], shown.json()["kind"]) == (200, "province_warning", "income_drop")
    sideways = await api.post(url, county_officer, {"region_code": f"{county}{(int(township[6:]) + 1) % 1000:03d}"})
    assert (sideways.status_code, sideways.json()["code"]) == (409, "region_outside_lead_region")


def other_village(village: str) -> str:
    return village[:9] + ("001" if village[9:] != "001" else "002")


async def test_opening_an_application_from_a_lead_ends_the_lead_once(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    lead = await refer(api, village)
    officer = staff(StaffRole.township_officer, village[:9])
    lead_url = f"{LEADS}/{lead['lead_id']}"

    refused = [
        await api.post(APPS, officer, application_body(village, channel="referral")),
        await api.post(APPS, officer, application_body(village, lead_id=lead["lead_id"])),
        await api.post(APPS, officer, application_body(village, channel="referral", lead_id=str(uuid.uuid4()))),
        # Another village of the same township: the lead's person lives in the lead's village.
        await api.post(
            APPS, officer, application_body(other_village(village), channel="referral", lead_id=lead["lead_id"])
        ),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [
        (422, "lead_required"),
        (422, "referral_channel_required"),
        (404, "lead_not_found"),
        (422, "region_outside_lead_region"),
    ]
    assert (await api.get(lead_url, officer)).json()["status"] == "open"
    assert (await api.get(APPS, officer, {"region_code": village})).json()["items"] == []

    opened = await api.post(APPS, officer, application_body(village, channel="referral", lead_id=lead["lead_id"]))

    assert opened.status_code == 201, opened.text
    app = opened.json()
    assert (app["lead_id"], app["channel"], app["status"]) == (lead["lead_id"], "referral", "draft")
    shown = (await api.get(lead_url, officer)).json()
    assert (shown["status"], shown["application_id"], shown["ended_by"]) == (
        "application_opened",
        app["application_id"],
        officer.subject,
    )
    second = await api.post(APPS, officer, application_body(village, channel="referral", lead_id=lead["lead_id"]))
    assert (second.status_code, second.json()["code"]) == (409, "lead_not_open")
    apps = (await api.get(APPS, officer, {"region_code": village})).json()["items"]
    assert [a["application_id"] for a in apps] == [app["application_id"]]
    close = await api.post(f"{lead_url}/close", officer, {"reason": "duplicate", "note": "x"})
    assert (close.status_code, close.json()["code"]) == (409, "lead_not_open")


async def test_lists_filter_by_status_kind_and_overdue_on_the_service_clock(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    officer = staff(StaffRole.township_officer, village[:9])
    api.clock.set_day(date(2026, 3, 2))
    early_illness = await refer(api, village, kind="serious_illness")  # due Mon 9 Mar
    early_closed = await refer(api, village, kind="income_drop")
    await api.post(f"{LEADS}/{early_closed['lead_id']}/close", officer, {"reason": "unreachable", "note": "空号"})
    api.clock.set_day(date(2026, 3, 9))
    late_income = await refer(api, village, kind="income_drop")  # due Mon 16 Mar

    def ids(items: list[dict[str, Any]]) -> list[str]:
        return [i["lead_id"] for i in items]

    assert ids(await listed(api, village, status="open")) == [early_illness["lead_id"], late_income["lead_id"]]
    assert ids(await listed(api, village, status="closed")) == [early_closed["lead_id"]]
    assert ids(await listed(api, village, kind="income_drop", status="open")) == [late_income["lead_id"]]
    assert await listed(api, village, overdue="true") == []  # due today is not late
    api.clock.set_day(date(2026, 3, 10))
    [late] = await listed(api, village, overdue="true")
    assert (late["lead_id"], late["overdue"]) == (early_illness["lead_id"], True)
    api.clock.set_day(date(2026, 3, 17))
    assert ids(await listed(api, village, overdue="true")) == [early_illness["lead_id"], late_income["lead_id"]]
    assert ids(await listed(api, village, source="hotline")) == []

    bad = [
        await api.get(LEADS, officer, {"status": "pending"}),
        await api.get(LEADS, officer, {"kind": "x"}),
        await api.get(LEADS, officer, {"region_code": "14a"}),
        await api.get(LEADS, officer, {"region_code": fresh_county()}),
    ]
    assert [r.status_code for r in bad] == [422, 422, 422, 403]


async def test_cursor_pages_cover_every_lead_once(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    officer = staff(StaffRole.township_officer, village[:9])
    made: list[str] = []
    for day in (date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 3), date(2026, 3, 4)):
        api.clock.set_day(day)
        made.append((await refer(api, village))["lead_id"])

    pages: list[list[str]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"region_code": village, "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await api.get(LEADS, officer, params)).json()
        pages.append([i["lead_id"] for i in page["items"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert [len(p) for p in pages] == [2, 2, 1]
    seen = [lead_id for p in pages for lead_id in p]
    assert sorted(seen) == sorted(made)
    assert seen[:2] == sorted(made[:2])  # earliest due first, then by id
    assert seen[4] == made[4]
    for params in ({"cursor": "not-a-cursor"}, {"cursor": "eyJhZnRlciI6IFsxLCAyXX0"}, {"limit": 0}):
        refused = await api.get(LEADS, officer, {"region_code": village, **params})
        assert refused.status_code == 422, params
    assert (await api.get(LEADS, officer, {"cursor": "not-a-cursor"})).json()["code"] == "invalid_cursor"
