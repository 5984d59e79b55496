"""Hotline work orders the partner fuzzing (tests/e2e/test_fuzz_partners.py) found to be 500s are 422s naming the
field, and log nothing: the NUL character in a text (PostgreSQL cannot store it; refused for every service by
libs/kernel/text_guard.py), and instants near datetime's limits (the repeat window and the deadline overflowed)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from libs.kernel.errors import PROBLEM_JSON
from services.complaints.hotline.models import WorkOrder
from tests.complaints.support import WORK_ORDERS, ComplaintsApi, hotline, new_village, township_officer, work_order


async def _logged(api: ComplaintsApi, number: str) -> int:
    async with api.db.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(WorkOrder).where(WorkOrder.work_order_no == number)
        )
    return int(count or 0)


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"title": "反映\x00问题"}, ["body", "title"]),
        ({"received_at": "0001-01-01T00:01:00Z", "due_at": None}, ["body", "received_at"]),
        ({"received_at": "9999-12-31T12:00:00+08:00", "due_at": None}, ["body", "received_at"]),
        ({"received_at": "0001-01-01T00:01:00+08:00", "due_at": "0001-01-05T00:00:00+08:00"}, ["body", "received_at"]),
    ],
    ids=["nul-in-title", "year-1", "year-9999", "year-1-with-deadline"],
)
async def test_a_work_order_that_was_a_500_is_refused_and_not_logged(
    api: ComplaintsApi, change: dict[str, Any], loc: list[str]
) -> None:
    village = new_village()
    body = {**work_order(village), **change}

    reply = await api.post(WORK_ORDERS, hotline(village[:6]), body)

    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"] == PROBLEM_JSON
    assert reply.json()["errors"][0]["loc"] == loc
    assert await _logged(api, body["work_order_no"]) == 0


async def test_instants_of_this_era_are_taken(api: ComplaintsApi) -> None:
    village = new_village()
    body = {**work_order(village), "received_at": "2026-11-23T09:15:00+08:00", "due_at": None}
    reply = await api.post(WORK_ORDERS, hotline(village[:6]), body)
    assert reply.status_code == 201, reply.text
    assert await _logged(api, body["work_order_no"]) == 1


async def test_region_codes_are_ascii_digits_only(api: ComplaintsApi) -> None:
    """The published patterns say `[0-9]`, not `\\d`, which also matches other scripts' digits (١٤٠٤٠٢)."""
    village = new_village()
    reply = await api.get("/api/v1/complaints", township_officer(village), params={"region_code": "١٤٠٤٠٢"})
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["loc"] == ["query", "region_code"]
