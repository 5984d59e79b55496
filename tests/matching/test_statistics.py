"""Matching's monthly figures against the rows they count: generated hits and deaths across townships and months,
counted again here row by row; parents equal the sum of their children; bad months and other regions refused."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import StaffRole
from libs.contracts.statistics.matching import LABELS, SOURCES
from services.matching.hits.models import Death, Hit
from services.matching.sources import SOURCES as REGISTRIES
from tests.matching.support import MatchingApi
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
from tests.support.principals import staff

TODAY = date(2026, 4, 15)
NOW = datetime(2026, 4, 15, 10, tzinfo=CHINA_TZ)


def _hit(rng: random.Random, region: str) -> Hit:
    raised = moment(rng, date(2026, 1, 1), TODAY - timedelta(days=1))
    status = rng.choice(["open", "confirmed", "dismissed"])
    resolved = raised + timedelta(days=rng.randint(0, 25), seconds=rng.randint(0, 86399)) if status != "open" else None
    return Hit(
        id=str(uuid.uuid4()),
        rule_id="r-test",
        source=rng.choice(list(SOURCES)),
        person=uuid.uuid4(),
        role="member",
        household_id=f"hh-{uuid.uuid4().hex[:8]}",
        region_code=region,
        township_code=region[:9],
        severity="high",
        suggested_action="review",
        description="test",
        evidence={},
        evidence_key=uuid.uuid4().hex,
        feed_id="f-test",
        status=status,
        raised_at=raised,
        due_date=china_day(raised) + timedelta(days=14),
        resolved_at=resolved if resolved is None or resolved < NOW else None,
    )


def _death(rng: random.Random, region: str) -> Death:
    raised = moment(rng, date(2026, 1, 1), TODAY - timedelta(days=1))
    return Death(
        person=uuid.uuid4(),
        death_date=china_day(raised) - timedelta(days=3),
        source="death",
        feed_id="f-test",
        household_ids=["hh-x"],
        region_code=region,
        raised_at=raised,
    )


def _overdue(hit: Hit, month: str) -> bool:
    due = hit.due_date
    answered_late = hit.resolved_at is None or china_day(hit.resolved_at) > due
    return due.strftime("%Y-%m") == month and due < _as_of_day(month) and answered_late


def _as_of_day(month: str) -> date:
    return month_end(month).date() if month_end(month) <= NOW else TODAY


def _open_overdue(hit: Hit, month: str) -> bool:
    as_of = min(month_end(month), NOW)
    still_open = hit.resolved_at is None or hit.resolved_at >= as_of
    return hit.raised_at < as_of and still_open and hit.due_date < _as_of_day(month)


def _figures(month: str) -> dict[str, Callable[[Any], bool]]:
    outcomes: dict[str, Callable[[Hit], bool]] = {
        "raised": lambda h: in_month(h.raised_at, month),
        "confirmed": lambda h: h.status == "confirmed" and in_month(h.resolved_at, month),
        "dismissed": lambda h: h.status == "dismissed" and in_month(h.resolved_at, month),
        "overdue": lambda h: _overdue(h, month),
    }
    figures: dict[str, Callable[[Any], bool]] = {}
    for key, test in outcomes.items():
        figures[key] = both(of_type(Hit), test)
        for source in SOURCES:
            figures[f"{key}_{source}"] = both(of_type(Hit), field_in("source", source), test)
    figures["open_overdue"] = lambda r: isinstance(r, Hit) and _open_overdue(r, month)
    figures["deaths_found"] = lambda r: isinstance(r, Death) and in_month(r.raised_at, month)
    assert set(figures) == set(LABELS)
    return figures


def _region_of(row: Any) -> str:
    return str(row.region_code)


@pytest.fixture
async def county(api: MatchingApi) -> tuple[str, list[Hit | Death]]:
    """Three townships of two villages, generated hits and deaths; a few hits on households placed at the county."""
    rng = random.Random(5)
    county = regions.new_county()
    townships = [f"{county}{t:03d}" for t in (101, 102, 103)]
    villages = [f"{t}{v:03d}" for t in townships for v in (201, 202)]
    rows: list[Hit | Death] = [_hit(rng, rng.choice(villages)) for _ in range(400)]
    rows += [_hit(rng, county) for _ in range(8)]
    rows += [_death(rng, rng.choice(villages)) for _ in range(40)]
    async with api.db.sessions() as s, s.begin():
        s.add_all(rows)
    await name_regions(api, {county: "介休市", townships[0]: "义安镇", townships[1]: "张兰镇", townships[2]: "连福镇"})
    api.clock.at = NOW
    return county, rows


def test_the_labels_name_every_registry() -> None:
    assert set(SOURCES) == set(REGISTRIES)


@pytest.mark.parametrize("month", ["2026-01", "2026-02", "2026-03", "2026-04"])
async def test_county_figures_equal_the_rows_and_townships_add_up(
    api: MatchingApi, county: tuple[str, list[Hit | Death]], month: str
) -> None:
    code, rows = county
    response = await api.get("/api/v1/matching/statistics", staff(StaffRole.county_officer, code), {"month": month})
    assert response.status_code == 200, response.text
    body = response.json()
    figures = _figures(month)
    assert body["region"]["region_name"] == "介休市"
    assert body["region"]["figures"] == expected(rows, _region_of, figures, code)
    children = by_code(body)
    assert list(children) == [f"{code}101", f"{code}102", f"{code}103", code]
    assert [c["region_name"] for c in body["children"]] == ["义安镇", "张兰镇", "连福镇", "介休市本级"]
    for township in list(children)[:3]:
        assert children[township]["figures"] == expected(rows, _region_of, figures, township)
    own = [r for r in rows if r.region_code == code]
    assert children[code]["figures"] == expected(own, _region_of, figures, code)
    check_sums(body)
    assert body["region"]["figures"]["raised"] > 0


async def test_a_township_drills_down_to_its_villages(api: MatchingApi, county: tuple[str, list[Hit | Death]]) -> None:
    code, rows = county
    township = f"{code}102"
    response = await api.get(
        "/api/v1/matching/statistics", staff(StaffRole.township_officer, township), {"month": "2026-03"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["region"]["region_name"] == "介休市张兰镇"
    assert [c["region_code"] for c in body["children"]] == [f"{township}201", f"{township}202"]
    assert body["region"]["figures"] == expected(rows, _region_of, _figures("2026-03"), township)
    check_sums(body)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"month": "2026-05"}, 422, "statistics_month_out_of_range"),
        ({"month": "1999-12"}, 422, "statistics_month_out_of_range"),
        ({"month": "2026-00"}, 422, "invalid_period"),
        ({"month": "2026-03", "region": "65x"}, 422, "validation_failed"),
        ({"month": "2026-03", "region": "66"}, 403, "outside_jurisdiction"),
    ],
)
async def test_bad_input_and_another_region_are_refused(
    api: MatchingApi, params: dict[str, str], status: int, code: str
) -> None:
    api.clock.at = NOW
    response = await api.get("/api/v1/matching/statistics", staff(StaffRole.county_officer, "650001"), params)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code


async def test_a_village_assistant_reads_no_hit_figures(api: MatchingApi) -> None:
    api.clock.at = NOW
    village = regions.new_village()
    response = await api.get(
        "/api/v1/matching/statistics", staff(StaffRole.village_assistant, village), {"month": "2026-03"}
    )
    assert response.status_code == 403, response.text
