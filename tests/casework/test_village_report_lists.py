"""Missing, late and unforwarded village reports for townships and the county; the list; the due-day rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from libs.contracts.period import Period
from libs.contracts.staff import StaffRole
from services.casework.local_figures.figures import standards_of
from services.casework.reports import rules
from tests.casework.support import CaseworkApi, new_county, new_village, staff
from tests.casework.village_support import (
    PERIOD,
    REPORTS,
    assistant,
    file,
    households,
)


async def test_overdue_lists_and_forwarding_for_a_township_and_a_county(api: CaseworkApi) -> None:
    county = new_county()
    t1, t2 = f"{county}101", f"{county}202"
    filed, missing, late = f"{t1}001", f"{t1}002", f"{t2}003"
    await households(api, filed, 2)
    await households(api, missing, 3)
    await households(api, late, 1)
    officer, county_officer = staff(StaffRole.township_officer, t1), staff(StaffRole.county_officer, county)

    api.clock.set_day(date(2026, 11, 15))
    await file(api, filed, {"zero_report": True})
    early = await api.get(f"{REPORTS}/overdue", officer, {"region_code": t1, "period": PERIOD})
    assert early.status_code == 200, early.text
    # Before the due day the missing village is listed, not yet overdue.
    assert early.json()["missing"] == [
        {"village_code": missing, "households": 3, "due_date": "2026-11-20", "overdue": False}
    ]

    api.clock.set_day(date(2026, 11, 22))
    await file(api, late, {"zero_report": True})
    township = (await api.get(f"{REPORTS}/overdue", officer, {"region_code": t1, "period": PERIOD})).json()
    assert township == {
        "period": PERIOD,
        "due_date": "2026-11-20",
        "forward_due_date": "2026-11-25",
        "missing": [{"village_code": missing, "households": 3, "due_date": "2026-11-20", "overdue": True}],
        "late": [],
        "not_forwarded": [t1],
    }
    whole = (await api.get(f"{REPORTS}/overdue", county_officer, {"region_code": county, "period": PERIOD})).json()
    assert [m["village_code"] for m in whole["missing"]] == [missing]
    assert [r["village_code"] for r in whole["late"]] == [late]
    assert whole["not_forwarded"] == [t1, t2]

    forwarded = await api.post(f"{REPORTS}/forward", officer, {"township_code": t1, "period": PERIOD})
    assert forwarded.status_code == 200, forwarded.text
    assert forwarded.json() == {"forwarded": 1, "late": False, "due_date": "2026-11-25", "missing_villages": [missing]}
    repeat = await api.post(f"{REPORTS}/forward", officer, {"township_code": t1, "period": PERIOD})
    assert repeat.json()["forwarded"] == 0
    shown = (await api.get(f"{REPORTS}/{filed}/{PERIOD}", officer)).json()
    assert (shown["forwarded_by"], shown["forwarded_at"] is not None) == (officer.subject, True)

    api.clock.set_day(date(2026, 11, 26))
    t2_officer = staff(StaffRole.township_officer, t2)
    second = await api.post(f"{REPORTS}/forward", t2_officer, {"township_code": t2, "period": PERIOD})
    assert second.json() == {"forwarded": 1, "late": True, "due_date": "2026-11-25", "missing_villages": []}
    whole = (await api.get(f"{REPORTS}/overdue", county_officer, {"region_code": county, "period": PERIOD})).json()
    assert whole["not_forwarded"] == []


async def test_overdue_and_forward_refuse_bad_input_and_strangers(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    township = village[:9]
    await households(api, village, 1)
    api.clock.set_day(date(2026, 11, 10))
    await file(api, village, {"zero_report": True})
    officer = staff(StaffRole.township_officer, township)

    for principal, params, status, code in [
        (assistant(village), {"region_code": township, "period": PERIOD}, 403, "role_required"),
        (
            staff(StaffRole.township_officer, new_county() + "101"),
            {"region_code": township, "period": PERIOD},
            403,
            "outside_jurisdiction",
        ),
        (officer, {"region_code": village, "period": PERIOD}, 422, "invalid_region_code"),
        (officer, {"region_code": township, "period": "2026-12"}, 422, "period_in_future"),
        (officer, {"region_code": township}, 422, "validation_failed"),
    ]:
        answer = await api.get(f"{REPORTS}/overdue", principal, params)
        assert (answer.status_code, answer.json()["code"]) == (status, code), params

    for principal, body, status, code in [
        (assistant(village), {"township_code": township, "period": PERIOD}, 403, "role_required"),
        (
            staff(StaffRole.township_officer, new_county() + "101"),
            {"township_code": township, "period": PERIOD},
            403,
            "outside_jurisdiction",
        ),
        (officer, {"township_code": county, "period": PERIOD}, 422, "invalid_township_code"),
        (officer, {"township_code": township, "period": "11/2026"}, 422, "invalid_period"),
        (officer, {"township_code": township, "period": "2026-011"}, 422, "validation_failed"),
        (officer, {"township_code": township, "period": "2026-13"}, 422, "invalid_period"),
        (officer, {"township_code": township}, 422, "validation_failed"),
        (officer, {"township_code": 123456789, "period": PERIOD}, 422, "validation_failed"),
    ]:
        answer = await api.post(f"{REPORTS}/forward", principal, body)
        assert (answer.status_code, answer.json()["code"]) == (status, code), body
    shown = (await api.get(f"{REPORTS}/{village}/{PERIOD}", officer)).json()
    assert (shown["forwarded_at"], shown["forwarded_by"]) == (None, None)


async def test_the_list_shows_filed_reports_in_the_jurisdiction_page_by_page(api: CaseworkApi) -> None:
    county = new_county()
    township = f"{county}101"
    villages = sorted({f"{township}{n:03d}" for n in (101, 202, 303)})
    other = new_village(county)
    for village in [*villages, other]:
        await households(api, village, 1)
    api.clock.set_day(date(2026, 11, 10))
    for village in [*villages, other]:
        await file(api, village, {"zero_report": True})
    api.clock.set_day(date(2026, 12, 1))
    await file(api, villages[0], {"zero_report": True}, period="2026-12")
    officer = staff(StaffRole.township_officer, township)

    seen: list[tuple[str, str]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await api.get(REPORTS, officer, params)).json()
        seen += [(item["period"], item["village_code"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [("2026-12", villages[0]), *((PERIOD, v) for v in villages)]

    november = (await api.get(REPORTS, officer, {"period": PERIOD, "region_code": villages[1]})).json()
    assert [(i["village_code"], i["households"], i["zero_report"]) for i in november["items"]] == [
        (villages[1], 0, True)
    ]
    own = (await api.get(REPORTS, assistant(villages[2]))).json()
    assert [i["village_code"] for i in own["items"]] == [villages[2]]

    for principal, query, status in [
        (officer, {"region_code": other}, 403),
        (assistant(villages[2]), {"region_code": township}, 403),
        (officer, {"cursor": "not-a-cursor"}, 422),
        (officer, {"period": "november"}, 422),
        (officer, {"limit": 0}, 422),
    ]:
        assert (await api.get(REPORTS, principal, query)).status_code == status, query
    missing = await api.get(f"{REPORTS}/{villages[1]}/2026-12", officer)
    assert (missing.status_code, missing.json()["code"]) == (404, "report_not_found")


def test_due_dates_fall_in_the_period_month_and_short_months_end_them() -> None:
    november, february = Period(2026, 11), Period(2027, 2)
    assert rules.due_date(november, 20) == date(2026, 11, 20)
    assert rules.due_date(february, 31) == date(2027, 2, 28)
    assert [rules.is_late(november, 20, day) for day in (date(2026, 11, 20), date(2026, 11, 21))] == [False, True]
    assert rules.is_late(november, 31, date(2026, 12, 1)) is True


def test_the_most_specific_due_day_in_force_wins() -> None:
    rows = [
        Row("65", date(2020, 1, 1), "village_report_due_day", 18),
        Row("6501", date(2024, 1, 1), "village_report_due_day", 17),
        Row("6501", date(2025, 1, 1), "village_report_due_day", 16),
        Row("650101", date(2024, 1, 1), "township_report_due_day", 27),
    ]
    assert standards_of(rows, "650101101101").village_report_due_day == 16
    assert standards_of(rows, "650201101101").village_report_due_day == 18
    assert standards_of(rows, "650101101").township_report_due_day == 27
    assert standards_of(rows, "660101").township_report_due_day == 25


@dataclass(frozen=True)
class Row:
    region_prefix: str
    effective_from: date
    name: str
    value: Any
