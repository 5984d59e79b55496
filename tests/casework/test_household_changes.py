"""Households as they change (seed 000 四(二) 核增（核减）救助人口, issue 21): members join at review with their
reason and evidence and count in the recalculation, the head changes; bad input changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from libs.contracts.id_number import mask_name
from tests.casework.flows import CASES, officers, recipient_household, village_report_review
from tests.casework.support import Broker, CaseworkApi, family, fresh_id, investigation_body, new_county, new_village

HOUSEHOLDS = "/api/v1/casework/households"
NEWBORN_DAY = date(2026, 5, 20)


def newborn(id_number: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id_number": id_number or fresh_id(NEWBORN_DAY),
        "name": "王小宝",
        "relation": "child",
        "labour_capacity": "none",
        "employment": "not_working",
        "reason": "birth",
        "evidence": "出生医学证明 已核验",
        **extra,
    }


async def _review(api: CaseworkApi, people: list[Any] | None = None) -> tuple[str, str, str, str, list[Any]]:
    """A recipient household (700.00 × 3 − 800.00 wages = 1,300.00) under review on 2026-06-10, investigated."""
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = people or family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    api.clock.set_day(date(2026, 6, 10))
    case_id = await village_report_review(api, household_id, f"changes-{household_id}")
    township, _ = officers(village, county)
    wages = [{"member_id_number": people[0].id_number, "kind": "wages", "amount_12_months": "9600.00"}]
    body = investigation_body(date(2026, 6, 10), verified_income=wages)
    r = await api.post(f"{CASES}/{case_id}/investigations", township, body)
    assert r.status_code == 201, r.text
    return household_id, case_id, village, county, people


async def _decide(api: CaseworkApi, case_id: str, village: str, county: str, proposal: dict[str, Any]) -> Any:
    township, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case_id}/proposal", township, proposal)
    assert r.status_code == 200, r.text
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_birth_added_at_review_is_counted_and_paid_from_the_next_month(api: CaseworkApi) -> None:
    household_id, case_id, village, county, _ = await _review(api)
    township, _ = officers(village, county)
    baby = newborn()
    r = await api.post(
        f"{CASES}/{case_id}/proposal",
        township,
        {"outcome": "adjusted", "reasons": ["新生儿出生，核增救助人口"], "members_added": [baby]},
    )
    assert r.status_code == 200, r.text
    shown = r.json()
    # 700.00 × 4 − 800.00 = 2,000.00: the newborn counts.
    assert shown["proposed_amount"] == "2000.00"
    assert shown["proposal"]["members_added"] == [{"name_masked": mask_name("王小宝"), "reason": "出生"}]
    assert baby["id_number"] not in r.text  # the clear proposal names no one
    _, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 200, r.text
    assert r.json()["effective_month"] == "2026-07"
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert [(m["name"], m["relation"]) for m in hh["members"]][-1] == ("王小宝", "child")
    assert [(e["monthly_amount"], e["effective_from"]) for e in hh["entitlements"]] == [("2000.00", "2026-07")]
    [*_, changed] = await api.outbox_events(subject=f"household/{household_id}", event_type="household-changed")
    assert [(c["kind"], c["id_number"], c["detail"]) for c in changed.data["changes"]] == [
        ("member_added", baby["id_number"], "出生")
    ]
    assert len(changed.data["household"]["members"]) == 4
    [*_, ent] = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert (ent.data["monthly_amount"], ent.data["effective_from"], len(ent.data["members"])) == (
        "2000.00",
        "2026-07",
        4,
    )
    versions = (await api.get(f"{HOUSEHOLDS}/{household_id}/versions", township)).json()
    assert versions[-1]["changes"] == ["member_added"]


async def test_a_spouse_marrying_in_brings_her_wages_and_becomes_head(api: CaseworkApi) -> None:
    household_id, case_id, village, county, _ = await _review(api)
    wife = newborn(
        fresh_id(date(1990, 1, 8)),
        name="赵丽",
        relation="spouse",
        labour_capacity="full",
        employment="employed",
        wages_12_months="2400.00",
        reason="marriage",
        evidence="结婚证 已核验",
    )
    decided = await _decide(
        api,
        case_id,
        village,
        county,
        {
            "outcome": "adjusted",
            "reasons": ["婚入一人"],
            "members_added": [wife],
            "head_id_number": wife["id_number"],
            "former_head_relation": "spouse",
        },
    )
    # 700.00 × 4 − (9,600.00 + 2,400.00) / 12 = 1,800.00.
    assert decided["proposed_amount"] == "1800.00"
    township, _ = officers(village, county)
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    relations = {m["name"]: m["relation"] for m in hh["members"]}
    assert (relations["赵丽"], relations["王建国"]) == ("head", "spouse")
    [*_, changed] = await api.outbox_events(subject=f"household/{household_id}", event_type="household-changed")
    assert [c["kind"] for c in changed.data["changes"]] == ["member_added", "head_changed"]
    assert changed.data["household"]["head_id_number"] == wife["id_number"]
    [*_, ent] = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert ent.data["payee"]["id_number"] == wife["id_number"]


async def test_the_heads_death_and_a_birth_at_one_review_open_a_successor_with_the_newborn(api: CaseworkApi) -> None:
    household_id, case_id, village, county, people = await _review(api)
    baby = newborn()
    await _decide(
        api,
        case_id,
        village,
        county,
        {
            "outcome": "adjusted",
            "reasons": ["户主死亡，新生儿出生"],
            "members_removed": [{"id_number": people[0].id_number, "reason": "死亡"}],
            "members_added": [baby],
        },
    )
    township, _ = officers(village, county)
    old = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    new = (await api.get(f"{HOUSEHOLDS}/{old['successor_id']}", township)).json()
    # The spouse heads the successor; the child and the newborn stay: 700.00 × 3 = 2,100.00.
    assert [(m["name"], m["relation"]) for m in new["members"]] == [
        ("李秀英", "head"),
        ("王小一", "child"),
        ("王小宝", "child"),
    ]
    assert [e["monthly_amount"] for e in new["entitlements"]] == ["2100.00"]
    [opened] = await api.outbox_events(subject=f"household/{new['household_id']}", event_type="household-changed")
    assert [c["kind"] for c in opened.data["changes"]] == ["successor_opened", "member_added"]


async def test_bad_changes_are_refused_and_change_nothing(api: CaseworkApi) -> None:
    household_id, case_id, village, county, people = await _review(api)
    # Someone of another recipient household.
    other_people = family()
    elsewhere = new_county()
    await recipient_household(api, Broker(api), elsewhere, new_village(elsewhere), other_people)
    api.clock.set_day(date(2026, 6, 10))
    township, _ = officers(village, county)
    before = (await api.get(f"{CASES}/{case_id}", township)).json()
    baby = newborn()
    adjusted: dict[str, Any] = {"outcome": "adjusted", "reasons": ["核增"]}
    refused = [
        ({**adjusted, "members_added": [newborn(people[2].id_number)]}, 409, "already_a_member"),
        ({**adjusted, "members_added": [newborn(other_people[2].id_number)]}, 409, "person_already_recipient"),
        ({**adjusted, "members_added": [baby, baby]}, 422, "duplicate_member"),
        ({"outcome": "continued", "members_added": [baby]}, 422, "outcome_not_allowed"),
        ({**adjusted, "head_id_number": fresh_id(date(1980, 1, 1))}, 422, "head_not_remaining"),
        (
            {
                **adjusted,
                "members_removed": [{"id_number": people[1].id_number, "reason": "迁出"}],
                "head_id_number": people[1].id_number,
            },
            422,
            "head_not_remaining",
        ),
        ({**adjusted, "members_added": [newborn(reason="adopted")]}, 422, None),
        ({**adjusted, "members_added": [newborn("110101202605200000")]}, 422, None),
        ({**adjusted, "members_added": [newborn(relation="head")]}, 422, None),
        ({**adjusted, "members_added": [newborn(evidence="")]}, 422, None),
        ({**adjusted, "members_added": [newborn(wages_12_months="-5.00")]}, 422, None),
        ({**adjusted, "members_added": [newborn() for _ in range(21)]}, 422, None),
    ]
    for body, status, code in refused:
        r = await api.post(f"{CASES}/{case_id}/proposal", township, body)
        assert r.status_code == status, (body, r.text)
        if code is not None:
            assert r.json()["code"] == code, r.text
        for person in (*people, *other_people):
            assert person.id_number not in r.text
    after = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert (after["status"], after["version"], after["proposal"]) == (before["status"], before["version"], None)
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert len(hh["members"]) == 3


async def test_a_member_who_joined_another_household_meanwhile_is_refused_at_the_decision(api: CaseworkApi) -> None:
    household_id, case_id, village, county, _ = await _review(api)
    township, county_officer = officers(village, county)
    spouse = fresh_id(date(1990, 1, 8))
    joining = newborn(spouse, name="赵丽", relation="spouse", reason="marriage", evidence="结婚证")
    body = {"outcome": "adjusted", "reasons": ["婚入"], "members_added": [joining]}
    r = await api.post(f"{CASES}/{case_id}/proposal", township, body)
    assert r.status_code == 200, r.text
    # Meanwhile she became a member of another recipient household (an approval elsewhere).
    people = family()
    people[1] = type(people[1])(spouse, "赵丽", "spouse", date(1990, 1, 8))
    elsewhere = new_county()
    await recipient_household(api, Broker(api), elsewhere, new_village(elsewhere), people)
    api.clock.set_day(date(2026, 6, 12))
    r = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "person_already_recipient"
    case = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert case["status"] == "confirmation"
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()
    assert len(hh["members"]) == 3


# Moves (issue 21): within the county at once; to another county when that county accepts and its month begins.

MOVES = "/api/v1/casework/moves"


async def _household(api: CaseworkApi) -> tuple[str, str, str]:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, broker, county, village)
    api.clock.set_day(date(2026, 6, 10))
    return household_id, village, county


async def _region_changes(api: CaseworkApi, household_id: str) -> list[tuple[str, str]]:
    events = await api.outbox_events(subject=f"household/{household_id}", event_type="household-changed")
    return [
        (e.data["household"]["region_code"], c["detail"])
        for e in events
        for c in e.data["changes"]
        if c["kind"] == "region_changed"
    ]


async def test_a_move_within_the_county_applies_at_once(api: CaseworkApi) -> None:
    household_id, village, county = await _household(api)
    township, _ = officers(village, county)
    to = county + "777" + "001"  # another township of the same county
    r = await api.post(f"{HOUSEHOLDS}/{household_id}/moves", township, {"to_village_code": to, "reason": "搬迁安置"})
    assert r.status_code == 201, r.text
    assert r.headers["x-jiuzhu-audit"] == f"household.move_requested household/{household_id}"
    move = r.json()
    assert (move["scope"], move["status"], move["effective_month"]) == ("township", "applied", "2026-07")
    _, county_officer = officers(to, county)
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", county_officer)).json()
    assert hh["region_code"] == to
    assert await _region_changes(api, household_id) == [(to, f"迁移 {village} → {to} from 2026-07")]
    # Payments are unchanged: the same county pays.
    assert len(await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")) == 1


async def test_a_move_to_another_county_waits_for_its_acceptance_and_its_month(api: CaseworkApi) -> None:
    household_id, village, county = await _household(api)
    township, old_county = officers(village, county)
    other = new_county()
    to = new_village(other)
    _, receiving = officers(to, other)
    body = {"to_village_code": to, "effective_month": "2026-08", "reason": "随子女迁居"}
    r = await api.post(f"{HOUSEHOLDS}/{household_id}/moves", township, body)
    assert r.status_code == 201, r.text
    move = r.json()
    assert (move["scope"], move["status"]) == ("county", "pending")
    path = f"{MOVES}/{move['move_id']}"
    # The county the household leaves cannot accept for the other; the receiving county sees its work list.
    assert (await api.post(f"{path}/acceptance", old_county, {})).status_code == 403
    listed = (await api.get(MOVES, receiving, {"status": "pending"})).json()["items"]
    assert [m["move_id"] for m in listed] == [move["move_id"]]
    # A second request while this one waits.
    again = await api.post(f"{HOUSEHOLDS}/{household_id}/moves", township, body)
    assert (again.status_code, again.json()["code"]) == (409, "move_pending")
    r = await api.post(f"{path}/acceptance", receiving, {"note": "同意接收"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "accepted"
    assert (await api.post(f"{path}/refusal", receiving, {"reason": "x"})).json()["code"] == "move_decided"
    # July is still the old county's.
    api.clock.set_day(date(2026, 7, 20))
    assert await _apply_due(api) == 0
    assert (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()["region_code"] == village
    api.clock.set_day(date(2026, 8, 1))
    assert await _apply_due(api) == 1
    assert await _apply_due(api) == 0
    assert (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).status_code == 403
    hh = (await api.get(f"{HOUSEHOLDS}/{household_id}", receiving)).json()
    assert hh["region_code"] == to
    assert hh["next_review_date"] is not None  # the review calendar goes with it
    assert await _region_changes(api, household_id) == [(to, f"迁移 {village} → {to} from 2026-08")]
    assert (await api.get(path, receiving)).json()["status"] == "applied"
    assert [m["status"] for m in (await api.get(f"{HOUSEHOLDS}/{household_id}/moves", receiving)).json()] == ["applied"]


async def _apply_due(api: CaseworkApi) -> int:
    from services.casework.moves.service import apply_due

    assert api.ctx is not None
    async with api.db.sessions.begin() as s:
        return await apply_due(s, api.ctx)


async def test_a_refused_move_leaves_the_household_where_it_is(api: CaseworkApi) -> None:
    household_id, village, county = await _household(api)
    township, _ = officers(village, county)
    other = new_county()
    to = new_village(other)
    _, receiving = officers(to, other)
    r = await api.post(f"{HOUSEHOLDS}/{household_id}/moves", township, {"to_village_code": to, "reason": "迁居"})
    move_id = r.json()["move_id"]
    assert (await api.post(f"{MOVES}/{move_id}/refusal", receiving, {})).status_code == 422  # a reason is due
    r = await api.post(f"{MOVES}/{move_id}/refusal", receiving, {"reason": "未在本县落户"})
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["decision_reason"]) == ("refused", "未在本县落户")
    assert (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()["region_code"] == village
    assert await _region_changes(api, household_id) == []
    # A stranger to both counties does not see it.
    elsewhere = new_county()
    _, stranger = officers(new_village(elsewhere), elsewhere)
    assert (await api.get(f"{MOVES}/{move_id}", stranger)).status_code == 404


async def test_bad_moves_are_refused_and_change_nothing(api: CaseworkApi) -> None:
    household_id, village, county = await _household(api)
    township, _ = officers(village, county)
    to = new_village(new_county())
    path = f"{HOUSEHOLDS}/{household_id}/moves"
    refused = [
        ({"to_village_code": village, "reason": "x"}, 422, "move_to_same_place"),
        ({"to_village_code": to, "reason": "x", "effective_month": "2026-05"}, 422, "move_month_out_of_range"),
        ({"to_village_code": to, "reason": "x", "effective_month": "2027-07"}, 422, "move_month_out_of_range"),
        ({"to_village_code": to, "reason": "x", "effective_month": "9999-01"}, 422, None),
        ({"to_village_code": to[:9], "reason": "x"}, 422, None),
        ({"to_village_code": to, "reason": ""}, 422, None),
        ({"to_village_code": to, "reason": "x", "extra": 1}, 422, None),
    ]
    for body, status, code in refused:
        r = await api.post(path, township, body)
        assert r.status_code == status, (body, r.text)
        if code is not None:
            assert r.json()["code"] == code, r.text
    # Outside the officer's jurisdiction; an unknown household.
    stranger, _ = officers(new_village(county), county)
    assert (await api.post(path, stranger, {"to_village_code": to, "reason": "x"})).status_code == 403
    missing = await api.post(f"{HOUSEHOLDS}/hh-none/moves", township, {"to_village_code": to, "reason": "x"})
    assert missing.status_code == 404
    # A review in progress is decided first.
    case_id = await village_report_review(api, household_id, f"move-{household_id}")
    r = await api.post(path, township, {"to_village_code": to, "reason": "x"})
    assert (r.status_code, r.json()["code"], r.json()["case_id"]) == (409, "household_case_open", case_id)
    assert (await api.get(path, township)).json() == []
    assert (await api.get(f"{HOUSEHOLDS}/{household_id}", township)).json()["region_code"] == village
    assert await _region_changes(api, household_id) == []
