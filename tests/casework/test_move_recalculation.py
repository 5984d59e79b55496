"""A moved household's amounts under the figures of where it moves to (issue 21): recalculated from the move's month
as a standard raise recalculates them, published once as `entitlement-changed`; unchanged where the figures are the
same; an imported household moved by the figures' difference; an amount not recalculable left and listed."""

from __future__ import annotations

from datetime import date
from typing import Any

from libs.contracts.staff import StaffRole
from tests.casework.flows import officers, recipient_household
from tests.casework.support import Broker, CaseworkApi, family, new_county, new_village, set_standards, staff

HOUSEHOLDS = "/api/v1/casework/households"
MOVES = "/api/v1/casework/moves"


async def _apply_due(api: CaseworkApi) -> int:
    from services.casework.moves.service import apply_due

    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        return await apply_due(s, api.ctx)


async def _entitlement_changes(api: CaseworkApi, household_id: str) -> list[tuple[str, str, str]]:
    events = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    return [(e.data["program"], e.data["monthly_amount"], e.data["effective_from"]) for e in events]


async def _move_to_county(api: CaseworkApi, household_id: str, village: str, to: str) -> dict[str, Any]:
    """Requested on 10 June for August, accepted by the receiving county, applied when August begins."""
    api.clock.set_day(date(2026, 6, 10))
    township, _ = officers(village, village[:6])
    body = {"to_village_code": to, "effective_month": "2026-08", "reason": "随子女迁居"}
    r = await api.post(f"{HOUSEHOLDS}/{household_id}/moves", township, body)
    assert r.status_code == 201, r.text
    _, receiving = officers(to, to[:6])
    path = f"{MOVES}/{r.json()['move_id']}"
    assert (await api.post(f"{path}/acceptance", receiving, {})).status_code == 200
    api.clock.set_day(date(2026, 8, 1))
    assert await _apply_due(api) == 1
    assert await _apply_due(api) == 0
    return dict((await api.get(path, receiving)).json())


async def test_a_household_moving_to_a_county_with_a_higher_standard_is_paid_it_from_the_moves_month(
    api: CaseworkApi,
) -> None:
    county, other = new_county(), new_county()
    village, to = new_village(county), new_village(other)
    # 700.00 × 3 − 800.00 wages = 1,300.00 here; 750.00 × 3 − 800.00 = 1,450.00 in the county moved to.
    household_id, _ = await recipient_household(api, Broker(api), county, village)
    await set_standards(api, other, dibao_standard_fen=75000)
    assert await _entitlement_changes(api, household_id) == [("dibao", "1300.00", "2026-04")]
    move = await _move_to_county(api, household_id, village, to)
    assert (move["status"], move["left_for_review"]) == ("applied", [])
    # Published once, from the move's month: July was the old county's at the old amount.
    assert (await _entitlement_changes(api, household_id))[1:] == [("dibao", "1450.00", "2026-08")]
    _, receiving = officers(to, other)
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", receiving)).json()
    assert hh["region_code"] == to
    assert [(e["monthly_amount"], e["effective_from"]) for e in hh["entitlements"]] == [("1450.00", "2026-08")]


async def test_a_move_within_the_county_to_the_same_figures_changes_no_amount(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, Broker(api), county, village)
    api.clock.set_day(date(2026, 6, 10))
    township, _ = officers(village, county)
    to = county + "777" + "001"
    r = await api.post(f"{HOUSEHOLDS}/{household_id}/moves", township, {"to_village_code": to, "reason": "搬迁安置"})
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["left_for_review"]) == ("applied", [])
    assert await _entitlement_changes(api, household_id) == [("dibao", "1300.00", "2026-04")]


async def test_a_move_within_the_county_to_a_village_with_its_own_standard_is_recalculated(api: CaseworkApi) -> None:
    county = new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, Broker(api), county, village)
    to = county + "777" + "001"
    # A township of the county with its own, lower standard: 680.00 × 3 − 800.00 = 1,240.00.
    await set_standards(api, to[:9], dibao_standard_fen=68000)
    api.clock.set_day(date(2026, 6, 10))
    township, _ = officers(village, county)
    r = await api.post(f"{HOUSEHOLDS}/{household_id}/moves", township, {"to_village_code": to, "reason": "搬迁安置"})
    assert r.status_code == 201, r.text
    assert (await _entitlement_changes(api, household_id))[1:] == [("dibao", "1240.00", "2026-07")]


def _import_body(village: str, programs: list[dict[str, str]]) -> dict[str, Any]:
    people = family()
    return {
        "region_code": village,
        "legacy_ref": "LB-2019-0042",
        "members": [
            {"id_number": p.id_number, "name": p.name, "relation": p.relation, "disability_grade": None} for p in people
        ],
        "programs": programs,
        "review_class": "B",
        "next_review_date": "2027-01-01",
        "account": {"bank_code": "ICBC", "account_no": "6222020000001234567", "holder_name": people[0].name},
    }


async def test_an_imported_household_is_moved_by_the_figures_difference(api: CaseworkApi) -> None:
    county, other = new_county(), new_county()
    village, to = new_village(county), new_village(other)
    await set_standards(api, county, dibao_standard_fen=70000, orphan_allowance_fen=150000)
    await set_standards(api, other, dibao_standard_fen=75000, orphan_allowance_fen=160000)
    programs = [
        {"program": "dibao", "monthly_amount": "1300.00", "since": "2019-07"},
        # An amount no figure explains: left as it is, for a review by hand.
        {"program": "orphan", "monthly_amount": "1234.00", "since": "2019-07"},
    ]
    r = await api.post(f"{HOUSEHOLDS}/import", staff(StaffRole.county_officer, county), _import_body(village, programs))
    assert r.status_code == 201, r.text
    household_id = r.json()["household_id"]
    before = await _entitlement_changes(api, household_id)
    move = await _move_to_county(api, household_id, village, to)
    # No case to read: 1,300.00 moves by (750.00 − 700.00) × 3 members.
    assert (await _entitlement_changes(api, household_id))[len(before) :] == [("dibao", "1450.00", "2026-08")]
    assert move["left_for_review"] == ["orphan"]
