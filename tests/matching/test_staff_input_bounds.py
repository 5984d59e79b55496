"""What matching's staff APIs accept is bounded (issue 17, finding 15): a rule cannot compare with a date no record
can bear, a hand-made cursor cannot carry year 1 or 9999, and free text loses the characters that hide or reorder
it. Each refusal is a 422 that changes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from libs.contracts.staff import StaffRole
from libs.kernel.pagination import JsonKey, encode_cursor
from services.matching.hits.models import Hit
from services.matching.rules.models import Rule
from tests.matching.feed_support import assert_problem
from tests.matching.flow_support import TODAY, Place, firm, hits_of, load, new_household_id, paid_household
from tests.matching.support import Broker, MatchingApi, fresh_id, member, staff

RULES = "/api/v1/matching/rules"
ADMIN = staff(StaffRole.system_admin, "")


def marker_rule(**fields: Any) -> dict[str, Any]:
    """A rule only a plate no feed carries can meet (the rules table is shared by the whole session)."""
    return {
        "id": f"t_{uuid.uuid4().hex[:12]}",
        "source": "vehicle",
        "conditions": [{"field": "plate", "op": "eq", "value": f"marker-{uuid.uuid4().hex}"}],
        "severity": "low",
        "suggested_action": "核实 check",
        "description": "a test rule",
        **fields,
    }


async def stored_rule(api: MatchingApi, rule_id: str) -> Rule | None:
    async with api.db.sessions() as session:
        return await session.get(Rule, rule_id)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2100-01-01"])
async def test_a_rule_comparing_with_an_impossible_date_is_refused(api: MatchingApi, value: str) -> None:
    body = marker_rule()
    body["conditions"].append({"field": "registered_at", "op": "gte", "value": value})
    assert_problem(await api.post(RULES, ADMIN, json=body), 422, "invalid_rule")
    assert await stored_rule(api, body["id"]) is None


async def test_rule_text_loses_invisible_characters(api: MatchingApi) -> None:
    blank = marker_rule(suggested_action="\u200b\u200d\u202e")
    assert_problem(await api.post(RULES, ADMIN, json=blank), 422, "invalid_rule")
    assert await stored_rule(api, blank["id"]) is None
    body = marker_rule(description="新购\u202e车辆\u200b check", suggested_action="核实\u2066 check")
    reply = await api.post(RULES, ADMIN, json=body)
    assert reply.status_code == 201, reply.text
    assert (reply.json()["description"], reply.json()["suggested_action"]) == ("新购车辆 check", "核实 check")


CURSORS: list[tuple[str, list[JsonKey]]] = [
    ("/api/v1/matching/hits", ["9999-12-31", "x"]),
    ("/api/v1/matching/hits", ["0001-01-01", "x"]),
    ("/api/v1/matching/deaths", ["0001-01-01T00:00:00+00:00", "x"]),
    ("/api/v1/matching/deaths", ["9999-12-31T23:59:59+00:00", "x"]),
    ("/api/v1/matching/outside-region-rows", ["9999-12-31T00:00:00+00:00", 1]),
    ("/api/v1/matching/outside-region-rows", ["2026-12-01T00:00:00", 1]),  # no offset: not an instant
]


@pytest.mark.parametrize(("path", "keys"), CURSORS)
async def test_a_hand_made_cursor_beyond_the_bounds_is_refused(
    api: MatchingApi, path: str, keys: list[JsonKey]
) -> None:
    officer = staff(StaffRole.county_officer, "650101")
    assert_problem(await api.get(path, officer, params={"cursor": encode_cursor(keys)}), 422, "invalid_cursor")


async def test_a_reason_of_invisible_characters_is_no_reason(api: MatchingApi, broker: Broker) -> None:
    api.clock.set_day(TODAY)
    place = Place.new()
    person = fresh_id()
    await paid_household(broker, new_household_id(), place.village, [member(person)])
    await load(api, "business", [firm(person)])
    [hit] = await hits_of(api, person)
    dismiss = f"/api/v1/matching/hits/{hit.id}/dismiss"
    assert_problem(
        await api.post(dismiss, place.officer(), json={"reason": "\u200b\u202e \u2066"}), 422, "validation_failed"
    )
    async with api.db.sessions() as session:
        still = await session.get(Hit, hit.id)
    assert still is not None
    assert (still.status, still.resolution) == ("open", None)
    done = await api.post(dismiss, place.officer(), json={"reason": "\u202e个体户已注销\u200b closed"})
    assert done.status_code == 200, done.text
    assert done.json()["resolution"] == "个体户已注销 closed"
