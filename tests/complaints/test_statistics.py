"""Complaints' monthly figures against the ledger: generated items across townships and months, counted again here
row by row; parents equal the sum of their children; bad months and other regions refused."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from libs.contracts.clock import CHINA_TZ
from libs.contracts.staff import StaffRole
from libs.contracts.statistics.complaints import CATEGORIES, LABELS
from services.complaints.register.models import Complaint
from services.complaints.register.rules import Channel
from tests.complaints.support import ComplaintsApi
from tests.support import regions
from tests.support.figures import (
    both,
    by_code,
    check_sums,
    expected,
    field_in,
    in_month,
    moment,
    month_end,
    name_regions,
)
from tests.support.principals import staff

TODAY = date(2026, 4, 15)
NOW = datetime(2026, 4, 15, 10, tzinfo=CHINA_TZ)
ONLINE = {"web", "wechat", "app", "online"}


def _item(rng: random.Random, region: str) -> Complaint:
    received = moment(rng, date(2026, 1, 1), TODAY - timedelta(days=1))
    hotline = rng.random() < 0.4
    anonymous = rng.random() < 0.3
    closed = rng.random() < 0.7
    handled = received + timedelta(days=rng.randint(0, 30), seconds=rng.randint(0, 86399)) if closed else None
    if handled is not None and handled >= NOW:
        handled = None
    item_id = str(uuid.uuid4())
    return Complaint(
        id=item_id,
        source="hotline" if hotline else "staff",
        work_order_no=f"WO-{item_id[:8]}" if hotline else None,
        channel=rng.choice(list(Channel)).value,
        category=rng.choice(list(CATEGORIES)),
        title="测试",
        content="测试内容",
        region_code=region,
        assigned_unit=region[:9],
        anonymous=anonymous,
        received_at=received,
        due_at=received + timedelta(days=15),
        due_source="working_days",
        status=rng.choice(["resolved", "returned"]) if handled else rng.choice(["received", "investigating"]),
        handled_at=handled,
        feedback_text="已书面答复" if handled and not anonymous and rng.random() < 0.8 else None,
        feedback_at=handled if handled and not anonymous else None,
        petition_id=item_id,
        created_by="u-test",
        created_at=received,
    )


def _figures(month: str) -> dict[str, Callable[[Any], bool]]:
    as_of = min(month_end(month), NOW)

    def received(c: Complaint) -> bool:
        return in_month(c.received_at, month)

    def closed(c: Complaint) -> bool:
        return c.status in {"resolved", "returned"} and in_month(c.handled_at, month)

    figures: dict[str, Callable[[Complaint], bool]] = {"received": received}
    for key in CATEGORIES:
        figures[f"received_category_{key}"] = both(received, field_in("category", key))
    figures["received_channel_hotline"] = lambda c: received(c) and c.source == "hotline"
    for key, channels in {"letter": {"letter"}, "visit": {"visit"}, "phone": {"phone"}, "online": ONLINE}.items():
        figures[f"received_channel_{key}"] = both(received, field_in("source", "staff"), field_in("channel", *channels))

    def open_overdue(c: Complaint) -> bool:
        return c.received_at < as_of and (c.handled_at is None or c.handled_at >= as_of) and c.due_at < as_of

    figures |= {
        "closed": closed,
        "closed_on_time": lambda c: closed(c) and c.handled_at is not None and c.handled_at <= c.due_at,
        "closed_late": lambda c: closed(c) and c.handled_at is not None and c.handled_at > c.due_at,
        "open_overdue": open_overdue,
        "real_name_closed": lambda c: closed(c) and not c.anonymous,
        "real_name_with_feedback": lambda c: closed(c) and not c.anonymous and c.feedback_at is not None,
    }
    assert set(figures) == set(LABELS)
    return dict(figures)


def _region_of(row: Any) -> str:
    return str(row.region_code)


@pytest.fixture
async def county(api: ComplaintsApi) -> tuple[str, list[Complaint]]:
    """Three townships of two villages with generated items; a few filed at the county, without a township."""
    rng = random.Random(12345)
    county = regions.new_county()
    townships = [f"{county}{t:03d}" for t in (101, 102, 103)]
    villages = [f"{t}{v:03d}" for t in townships for v in (201, 202)]
    rows = [_item(rng, rng.choice(villages)) for _ in range(300)]
    rows += [_item(rng, county) for _ in range(10)]
    async with api.db.sessions() as s, s.begin():
        s.add_all(rows)
    await name_regions(api, {county: "灵石县", townships[0]: "翠峰镇", townships[1]: "静升镇", townships[2]: "两渡镇"})
    api.clock.at = NOW
    return county, rows


@pytest.mark.parametrize("month", ["2026-01", "2026-02", "2026-03", "2026-04"])
async def test_county_figures_equal_the_ledger_and_townships_add_up(
    api: ComplaintsApi, county: tuple[str, list[Complaint]], month: str
) -> None:
    code, rows = county
    response = await api.get("/api/v1/complaints/statistics", staff(StaffRole.county_officer, code), {"month": month})
    assert response.status_code == 200, response.text
    body = response.json()
    figures = _figures(month)
    assert body["service"] == "complaints"
    assert body["region"]["region_name"] == "灵石县"
    assert body["region"]["figures"] == expected(rows, _region_of, figures, code)
    children = by_code(body)
    assert [c["region_name"] for c in body["children"]] == ["翠峰镇", "静升镇", "两渡镇", "灵石县本级"]
    for township in list(children)[:3]:
        assert children[township]["figures"] == expected(rows, _region_of, figures, township)
    check_sums(body)
    assert body["region"]["figures"]["received"] > 0


async def test_the_city_sees_its_counties(api: ComplaintsApi, county: tuple[str, list[Complaint]]) -> None:
    code, rows = county
    response = await api.get(
        "/api/v1/complaints/statistics", staff(StaffRole.city_supervisor, code[:4]), {"month": "2026-03"}
    )
    assert response.status_code == 200, response.text
    mine = by_code(response.json())[code]
    assert mine["region_name"] == "灵石县"
    assert mine["figures"] == expected(rows, _region_of, _figures("2026-03"), code)
    check_sums(response.json())


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"month": "2026-05"}, 422, "statistics_month_out_of_range"),
        ({"month": "1999-12"}, 422, "statistics_month_out_of_range"),
        ({"month": "2026-3"}, 422, "validation_failed"),
        ({"month": "2026-03", "region": "650002"}, 403, "outside_jurisdiction"),
    ],
)
async def test_bad_input_and_another_region_are_refused(
    api: ComplaintsApi, params: dict[str, str], status: int, code: str
) -> None:
    api.clock.at = NOW
    response = await api.get("/api/v1/complaints/statistics", staff(StaffRole.county_officer, "650001"), params)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
