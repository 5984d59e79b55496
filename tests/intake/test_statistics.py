"""Intake's monthly figures against the rows they count: generated applications and leads across townships and
months, counted again here row by row; parents equal the sum of their children; bad months and other regions refused."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from libs.contracts.clock import CHINA_TZ
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from libs.contracts.statistics.intake import CHANNELS, LABELS
from services.intake.application.models import Application
from services.intake.lead.models import Lead
from tests.intake.support import IntakeApi, staff
from tests.support import regions
from tests.support.figures import (
    both,
    by_code,
    check_sums,
    china_day,
    expected,
    field_in,
    in_month,
    moment,
    month_end,
    name_regions,
    of_type,
)

TODAY = date(2026, 4, 15)
MONTHS = ("2026-02", "2026-03", "2026-04")


def _application(rng: random.Random, village: str) -> Application:
    created = moment(rng, date(2026, 1, 1), TODAY - timedelta(days=1))
    app = Application(
        id=str(uuid.uuid4()),
        application_no=f"T-{uuid.uuid4().hex[:12]}",
        program=rng.choice(list(Program)).value,
        region_code=village,
        channel=rng.choice(list(CHANNELS)),
        status="draft",
        applicant_hash=uuid.uuid4().hex,
        applicant_name_masked="王*",
        member_count=2,
        version=1,
        close_relative_declared=False,
        created_by="u-test",
        created_at=created,
        updated_at=created,
    )
    step = created
    # Each later step happens, or not, a few days after the one before (some cross into the next month).
    for field in ("submitted_at", "accepted_at"):
        if rng.random() < 0.85:
            step = step + timedelta(days=rng.randint(0, 12), seconds=rng.randint(0, 86399))
            setattr(app, field, step)
    if app.accepted_at is not None:
        app.due_date = china_day(app.accepted_at) + timedelta(days=rng.randint(5, 40))
        app.status = "accepted"
        end = step + timedelta(days=rng.randint(1, 50))
        if rng.random() < 0.1:
            app.withdrawn_at, app.status = end, "withdrawn"
        elif rng.random() < 0.7:
            app.decided_at, app.status = end, "decided"
            app.decision_outcome = rng.choice(["approved", "rejected"])
    elif app.submitted_at is not None and rng.random() < 0.5:
        app.returned_at, app.status = app.submitted_at + timedelta(days=2), "returned"
    return app


def _lead(rng: random.Random, region: str) -> Lead:
    created = moment(rng, date(2026, 1, 1), TODAY - timedelta(days=1))
    opened = rng.random() < 0.5
    return Lead(
        id=str(uuid.uuid4()),
        source="village_referral",
        region_code=region,
        kind="help_request",
        status="application_opened" if opened else rng.choice(["open", "closed"]),
        name_masked="李*",
        contact_sealed="x",
        due_date=china_day(created) + timedelta(days=10),
        created_by="u-test",
        created_at=created,
        updated_at=created,
        ended_at=created + timedelta(days=rng.randint(0, 20)) if opened else None,
    )


def _in_time(app: Application, month: str) -> bool | None:
    if not in_month(app.decided_at, month) or app.decided_at is None or app.due_date is None:
        return None
    return china_day(app.decided_at) <= app.due_date


def _open_overdue(app: Application, month: str) -> bool:
    as_of = min(month_end(month), datetime(2026, 4, 15, 10, tzinfo=CHINA_TZ))
    day = as_of.date() if as_of == month_end(month) else TODAY
    return (
        app.accepted_at is not None
        and app.accepted_at < as_of
        and (app.decided_at is None or app.decided_at >= as_of)
        and (app.withdrawn_at is None or app.withdrawn_at >= as_of)
        and app.due_date is not None
        and app.due_date < day
    )


def _figures(month: str) -> dict[str, Callable[[Any], bool]]:
    def received(a: Any) -> bool:
        return isinstance(a, Application) and in_month(a.submitted_at, month)

    apps: dict[str, Callable[[Any], bool]] = {"received": received}
    for key in CHANNELS:
        apps[f"received_channel_{key}"] = both(received, field_in("channel", key))
    for program in Program:
        apps[f"received_program_{program.value}"] = both(received, field_in("program", program.value))
    only_apps: dict[str, Callable[[Application], bool]] = {
        "accepted": lambda a: in_month(a.accepted_at, month),
        "returned": lambda a: in_month(a.returned_at, month),
        "withdrawn": lambda a: in_month(a.withdrawn_at, month),
        "approved": lambda a: in_month(a.decided_at, month) and a.decision_outcome == "approved",
        "refused": lambda a: in_month(a.decided_at, month) and a.decision_outcome == "rejected",
        "decided_on_time": lambda a: _in_time(a, month) is True,
        "decided_late": lambda a: _in_time(a, month) is False,
        "open_overdue": lambda a: _open_overdue(a, month),
    }
    for key, test in only_apps.items():
        apps[key] = both(of_type(Application), test)
    apps["leads_raised"] = lambda r: isinstance(r, Lead) and in_month(r.created_at, month)
    apps["leads_to_applications"] = lambda r: (
        isinstance(r, Lead) and r.status == "application_opened" and in_month(r.ended_at, month)
    )
    assert set(apps) == set(LABELS)
    return apps


@pytest.fixture
async def county(api: IntakeApi) -> tuple[str, list[Application | Lead]]:
    """A county of three townships of two villages each, with generated applications and leads; one lead is placed
    at a township (no village), where the township's own line must still count it."""
    rng = random.Random(22)
    county = regions.new_county()
    townships = [f"{county}{t:03d}" for t in (101, 102, 103)]
    villages = [f"{t}{v:03d}" for t in townships for v in (201, 202)]
    rows: list[Application | Lead] = [_application(rng, rng.choice(villages)) for _ in range(240)]
    rows += [_lead(rng, rng.choice(villages)) for _ in range(60)]
    at_township = _lead(rng, townships[0])
    at_township.created_at = datetime(2026, 3, 10, 9, tzinfo=CHINA_TZ)
    rows.append(at_township)
    async with api.db.sessions() as s, s.begin():
        s.add_all(rows)
    names = {county: "平遥县", townships[0]: "古陶镇", townships[1]: "段村镇", townships[2]: "洪善镇"}
    await name_regions(api, names | {villages[0]: "东关村"})
    api.clock.set_day(TODAY)
    return county, rows


def _region_of(row: Any) -> str:
    return str(row.region_code)


@pytest.mark.parametrize("month", MONTHS)
async def test_county_figures_equal_the_rows_and_townships_add_up(
    api: IntakeApi, county: tuple[str, list[Application | Lead]], month: str
) -> None:
    code, rows = county
    response = await api.get("/api/v1/intake/statistics", staff(StaffRole.county_officer, code), {"month": month})
    assert response.status_code == 200, response.text
    body = response.json()
    figures = _figures(month)
    assert body["service"] == "intake"
    assert body["month"] == month
    assert body["region"] == {
        "region_code": code,
        "region_name": "平遥县",
        "figures": expected(rows, _region_of, figures, code),
    }
    children = by_code(body)
    assert [c["region_name"] for c in body["children"]] == ["古陶镇", "段村镇", "洪善镇"]
    for township, child in children.items():
        assert child["figures"] == expected(rows, _region_of, figures, township)
    check_sums(body)
    assert body["region"]["figures"]["received"] > 0
    assert body["region"]["figures"]["open_overdue"] > 0


async def test_township_drills_down_to_villages_and_counts_its_own_lead(
    api: IntakeApi, county: tuple[str, list[Application | Lead]]
) -> None:
    code, rows = county
    township = f"{code}101"
    month = "2026-03"
    response = await api.get(
        "/api/v1/intake/statistics", staff(StaffRole.city_supervisor, code[:4]), {"month": month, "region": township}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    figures = _figures(month)
    assert body["region"]["figures"] == expected(rows, _region_of, figures, township)
    check_sums(body)
    codes = [c["region_code"] for c in body["children"]]
    assert codes[:2] == [f"{township}201", f"{township}202"]
    assert body["children"][0]["region_name"] == "东关村"
    # The lead placed at the township itself is its own line (本级), so the sum holds.
    assert len(codes) == 3
    assert codes[2] == township
    assert body["children"][2]["region_name"] == "古陶镇本级"
    village = await api.get(
        "/api/v1/intake/statistics", staff(StaffRole.township_officer, township), {"month": month, "region": codes[0]}
    )
    assert village.status_code == 200
    assert village.json()["children"] == []
    assert village.json()["region"]["region_name"] == "平遥县古陶镇东关村"
    assert village.json()["region"]["figures"] == expected(rows, _region_of, figures, codes[0])


async def test_an_empty_month_has_every_figure_at_zero(api: IntakeApi) -> None:
    county = regions.new_county()
    api.clock.set_day(TODAY)
    response = await api.get("/api/v1/intake/statistics", staff(StaffRole.county_officer, county), {"month": "2001-01"})
    assert response.status_code == 200, response.text
    assert response.json()["region"]["figures"] == dict.fromkeys(LABELS, 0)
    assert response.json()["region"]["region_name"] == f"未命名区划{county}"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"month": "2026-05"}, "statistics_month_out_of_range"),
        ({"month": "1999-12"}, "statistics_month_out_of_range"),
        ({"month": "2026-13"}, "invalid_period"),
        ({"month": "26-01"}, "validation_failed"),
        ({}, "validation_failed"),
        ({"month": "2026-03", "region": "6512345"}, "validation_failed"),
        ({"month": "2026-03", "region": "6" * 13}, "validation_failed"),
    ],
)
async def test_bad_input_is_422(api: IntakeApi, params: dict[str, str], code: str) -> None:
    api.clock.set_day(TODAY)
    response = await api.get("/api/v1/intake/statistics", staff(StaffRole.county_officer, "650001"), params)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code


async def test_another_region_is_403(api: IntakeApi) -> None:
    api.clock.set_day(TODAY)
    officer = staff(StaffRole.county_officer, regions.new_county())
    for region in (regions.new_county(), "65", "14"):
        response = await api.get("/api/v1/intake/statistics", officer, {"month": "2026-03", "region": region})
        assert response.status_code == 403, response.text
        assert response.json()["code"] == "outside_jurisdiction"
