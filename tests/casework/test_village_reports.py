"""Monthly village dynamic reports through the staff API (DOMAIN.md §4, seed 001 §三(二)): filing with its triggered
reviews, zero reports, lateness, forwarding, the lists of missing and late reports.

Each test works in counties and villages of its own (`new_county`, `new_village`), with households inserted directly,
so what it reads is only its own data. The clock is fixed per test: period 2026-11, village due day the 20th,
township due day the 25th (the national defaults of `Standards`; no test sets them for province 65 except the one
that sets its own county's figure).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from libs.contracts.staff import StaffRole
from services.casework.case.models import Case
from services.casework.case.opening import open_triggered
from services.casework.case.schemas import Trigger
from services.casework.local_figures.models import StandardFigure
from services.casework.reports.models import VillageReportEntry
from tests.casework.support import CaseworkApi, new_county, new_village, staff
from tests.casework.village_support import (
    PERIOD,
    REPORTS,
    assistant,
    case_ctx,
    entry,
    file,
    households,
    stored,
)


async def test_a_full_report_opens_one_review_per_changed_household(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 12))
    a, b, c = await households(api, village, 3)
    body = {
        "zero_report": False,
        "entries": [
            entry(a, "income", "employment", detail="长子外出务工，月收入约3000元"),
            entry(b),
            entry(c, "serious_illness", detail="户主确诊重病住院"),
        ],
    }

    report = await file(api, village, body)

    assert (report["village_code"], report["period"], report["zero_report"], report["late"]) == (
        village,
        PERIOD,
        False,
        False,
    )
    assert (report["due_date"], report["households"], report["changed"]) == ("2026-11-20", 3, 2)
    by_household = {e["household_id"]: e for e in report["entries"]}
    assert by_household[b]["case_id"] is None
    assert by_household[a]["changes"] == ["income", "employment"]
    assert by_household[c]["detail"] == "户主确诊重病住院"
    assert await stored(api, village) == (1, 3, 2)
    async with api.db.sessions() as s:
        cases = (await s.scalars(select(Case).where(Case.region_code == village).order_by(Case.household_id))).all()
        details = (await s.scalars(select(VillageReportEntry.detail))).all()
    assert {case.household_id: case.id for case in cases} == {
        a: by_household[a]["case_id"],
        c: by_household[c]["case_id"],
    }
    assert {case.trigger_ref for case in cases} == {f"{report['id']}:{a}", f"{report['id']}:{c}"}
    # The assistant's words may name an illness: sealed in the entry, left out of the case's plain summary.
    assert all("重病" not in d for d in details)
    assert all("重病" not in case.trigger_summary for case in cases)
    assert "serious_illness" in next(case.trigger_summary for case in cases if case.household_id == c)

    # Opening the same report line again is the case service's idempotency: the same case, no new row.
    async with api.db.sessions.begin() as s:
        again, created = await open_triggered(
            s,
            case_ctx(api),
            household_id=c,
            trigger=Trigger.VILLAGE_REPORT,
            trigger_ref=f"{report['id']}:{c}",
            summary="repeat",
            actor="test",
        )
    assert (again.id, created) == (by_household[c]["case_id"], False)
    assert await stored(api, village) == (1, 3, 2)

    shown = await api.get(f"{REPORTS}/{village}/{PERIOD}", staff(StaffRole.township_officer, village[:9]))
    assert shown.status_code == 200, shown.text
    assert shown.json() == report


async def test_a_zero_report_has_no_entries_and_opens_nothing(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 20))
    await households(api, village, 2)

    report = await file(api, village, {"zero_report": True})

    assert (report["zero_report"], report["late"], report["entries"], report["changed"]) == (True, False, [], 0)
    assert await stored(api, village) == (1, 0, 0)


async def test_a_zero_report_with_entries_is_refused(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 10))
    [a] = await households(api, village, 1)

    answer = await api.put(
        f"{REPORTS}/{village}/{PERIOD}", assistant(village), {"zero_report": True, "entries": [entry(a, "death")]}
    )

    assert answer.status_code == 422
    assert answer.json()["code"] == "zero_report_with_entries"
    assert await stored(api, village) == (0, 0, 0)


async def test_a_missing_household_is_named_and_nothing_is_stored(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 10))
    a, b, c = await households(api, village, 3)

    answer = await api.put(
        f"{REPORTS}/{village}/{PERIOD}",
        assistant(village),
        {"zero_report": False, "entries": [entry(b, "death", detail="户主去世")]},
    )

    assert answer.status_code == 422
    problem = answer.json()
    assert problem["code"] == "households_missing"
    assert problem["households_missing"] == [a, c]
    assert [e["loc"] for e in problem["errors"]] == [["body", "entries"], ["body", "entries"]]
    assert await stored(api, village) == (0, 0, 0)


async def test_unknown_closed_and_repeated_households_are_refused(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 10))
    [a] = await households(api, village, 1)
    [closed] = await households(api, village, 1, status="closed")
    [elsewhere] = await households(api, new_village(village[:6]), 1)

    for entries, code, loc in [
        ([entry(a), entry(elsewhere, "income")], "unknown_household", ["body", "entries", 1, "household_id"]),
        ([entry(a), entry(closed)], "unknown_household", ["body", "entries", 1, "household_id"]),
        ([entry(a, "income"), entry(a)], "duplicate_household", ["body", "entries", 1, "household_id"]),
        ([entry(a, "income", "income")], "duplicate_change", ["body", "entries", 0, "changes"]),
        ([entry(a, "other")], "detail_required", ["body", "entries", 0, "detail"]),
    ]:
        answer = await api.put(
            f"{REPORTS}/{village}/{PERIOD}", assistant(village), {"zero_report": False, "entries": entries}
        )
        assert answer.status_code == 422, entries
        assert (answer.json()["code"], answer.json()["errors"][0]["loc"]) == (code, loc)
    assert await stored(api, village) == (0, 0, 0)


async def test_a_village_without_recipients_can_only_file_a_zero_report(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 10))
    await households(api, village, 1, status="closed")

    refused = await api.put(f"{REPORTS}/{village}/{PERIOD}", assistant(village), {"zero_report": False, "entries": []})
    assert refused.status_code == 422
    assert refused.json()["code"] == "zero_report_required"
    assert await stored(api, village) == (0, 0, 0)

    report = await file(api, village, {"zero_report": True, "entries": []})
    assert report["zero_report"] is True


async def test_a_second_report_for_the_month_is_a_conflict(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 10))
    [a] = await households(api, village, 1)
    first = await file(api, village, {"zero_report": False, "entries": [entry(a, "income", detail="工资上涨")]})

    again = await api.put(
        f"{REPORTS}/{village}/{PERIOD}", staff(StaffRole.township_officer, village[:9]), {"zero_report": True}
    )

    assert again.status_code == 409
    assert again.json()["code"] == "report_exists"
    # Even a second filing that would itself be invalid is told the month is filed.
    invalid = await api.put(f"{REPORTS}/{village}/{PERIOD}", assistant(village), {"zero_report": False})
    assert (invalid.status_code, invalid.json()["code"]) == (409, "report_exists")
    assert await stored(api, village) == (1, 1, 1)
    shown = await api.get(f"{REPORTS}/{village}/{PERIOD}", assistant(village))
    assert shown.json() == first
    # The next month is a report of its own.
    api.clock.set_day(date(2026, 12, 3))
    assert (await file(api, village, {"zero_report": True}, period="2026-12"))["period"] == "2026-12"


async def test_a_report_after_the_due_day_is_late(api: CaseworkApi) -> None:
    county = new_county()
    on_time, after, next_month = (new_village(county) for _ in range(3))
    for village in (on_time, after, next_month):
        await households(api, village, 1)

    api.clock.set_day(date(2026, 11, 20))
    assert (await file(api, on_time, {"zero_report": True}))["late"] is False
    api.clock.set_day(date(2026, 11, 21))
    assert (await file(api, after, {"zero_report": True}))["late"] is True
    api.clock.set_day(date(2026, 12, 2))
    assert (await file(api, next_month, {"zero_report": True}))["late"] is True


async def test_the_due_day_is_a_local_figure(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    await households(api, village, 1)
    async with api.db.sessions.begin() as s:
        s.add(
            StandardFigure(
                region_prefix=county,
                effective_from=date(2026, 1, 1),
                name="village_report_due_day",
                value=15,
                created_by="test",
                created_at=datetime.now(UTC),
            )
        )
    api.clock.set_day(date(2026, 11, 16))

    report = await file(api, village, {"zero_report": True})

    assert (report["late"], report["due_date"]) == (True, "2026-11-15")
    overdue = await api.get(
        f"{REPORTS}/overdue", staff(StaffRole.county_officer, county), {"region_code": county, "period": PERIOD}
    )
    assert overdue.json()["due_date"] == "2026-11-15"


async def test_bad_targets_and_bodies_are_refused_and_change_nothing(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 10))
    [a] = await households(api, village, 1)
    ok = {"zero_report": True}

    for path, body, code in [
        (f"{REPORTS}/{village}/2026-12", ok, "period_in_future"),
        (f"{REPORTS}/{village}/2026-13", ok, "invalid_period"),
        (f"{REPORTS}/{village}/202611", ok, "invalid_period"),
        (f"{REPORTS}/{village[:11]}/{PERIOD}", ok, "invalid_village_code"),
        (f"{REPORTS}/{village}/{PERIOD}", {"zero_report": "maybe"}, "validation_failed"),
        (f"{REPORTS}/{village}/{PERIOD}", {"entries": []}, "validation_failed"),
        (f"{REPORTS}/{village}/{PERIOD}", {"zero_report": False, "entries": "all"}, "validation_failed"),
        (
            f"{REPORTS}/{village}/{PERIOD}",
            {"zero_report": False, "entries": [entry(a, "lottery")]},
            "validation_failed",
        ),
        (f"{REPORTS}/{village}/{PERIOD}", {"zero_report": False, "entries": [{"changes": []}]}, "validation_failed"),
        (f"{REPORTS}/{village}/{PERIOD}", {"zero_report": True, "extra": 1}, "validation_failed"),
    ]:
        answer = await api.put(path, assistant(village), body)
        assert (answer.status_code, answer.json()["code"]) == (422, code), (path, body)
    assert await stored(api, village) == (0, 0, 0)


async def test_filing_outside_the_jurisdiction_or_role_is_forbidden(api: CaseworkApi) -> None:
    village = new_village()
    api.clock.set_day(date(2026, 11, 10))
    await households(api, village, 1)
    path, body = f"{REPORTS}/{village}/{PERIOD}", {"zero_report": True}

    for principal, code in [
        (assistant(new_village(village[:9])), "outside_jurisdiction"),
        (staff(StaffRole.township_officer, new_village()[:9]), "outside_jurisdiction"),
        (staff(StaffRole.city_supervisor, village[:4]), "role_required"),
    ]:
        answer = await api.put(path, principal, body)
        assert (answer.status_code, answer.json()["code"]) == (403, code)
    assert await stored(api, village) == (0, 0, 0)
    # Its township may file on the village's behalf.
    on_behalf = await api.put(path, staff(StaffRole.township_officer, village[:9]), body)
    assert on_behalf.status_code == 201, on_behalf.text
