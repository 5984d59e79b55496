"""A household version's sealed form: `HouseholdState.to_json` gives the bytes `dataclasses.asdict` gave before it was
written out key by key (issue 20: a standard raise seals 100,000 of them), so versions sealed before and after read
and compare alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from services.casework.registry.models import GradualExitStep
from services.casework.registry.state import EntitlementState, HouseholdState, MemberState


def _as_before(state: HouseholdState) -> str:
    # The earlier definition: `asdict`, then the dates as ISO strings.
    raw = dataclasses.asdict(state)
    raw["next_review_date"] = state.next_review_date.isoformat() if state.next_review_date else None
    raw["updated_at"] = state.updated_at.isoformat()
    for m, member in zip(raw["members"], state.members, strict=True):
        m["birth_date"] = member.birth_date.isoformat()
    for e, entitlement in zip(raw["entitlements"], state.entitlements, strict=True):
        e["since"] = entitlement.since.isoformat()
    return json.dumps(raw, ensure_ascii=False, default=str)


def _sealed(state: HouseholdState) -> str:
    return json.dumps(state.to_json(), ensure_ascii=False, default=str)


_HEAD = MemberState("11010519491231002X", "张三", "head", dt.date(1949, 12, 31), {"labour_capacity": "none"})
_CHILD = MemberState("110105201001010018", "张小", "child", dt.date(2010, 1, 1))
_STEP = GradualExitStep(first="2026-01", last="2026-03", percent=80, amount_fen=56000)
_DIBAO = EntitlementState("ent-1", "dibao", "active", 140000, "2026-01", None, dt.date(2025, 6, 1), case_id="case-1")
_EXIT = EntitlementState(
    "ent-2", "dibao_single", "gradual_exit", 70000, "2025-01", "2026-03", dt.date(2024, 1, 1),
    beneficiary_id_number=_CHILD.id_number, schedule=(_STEP,),
)  # fmt: skip


def _state(**changes: object) -> HouseholdState:
    base = HouseholdState(
        household_id="hh-1",
        region_code="140521100200",
        status="active",
        head_id_number=_HEAD.id_number,
        members=(_HEAD, _CHILD),
        entitlements=(_DIBAO, _EXIT),
        review_class="C",
        next_review_date=dt.date(2027, 1, 15),
        close_relative=True,
        predecessor_id=None,
        successor_id="hh-2",
        bank_code="ICBC",
        account_holder="张三",
        account_no_masked="6222********1234",
        version=7,
        updated_at=dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "state",
    [
        _state(),
        _state(members=(), entitlements=(), head_id_number=None, next_review_date=None, bank_code=None),
        _state(members=(_CHILD,), entitlements=(_EXIT,)),
    ],
    ids=["full", "empty", "one member, a gradual exit"],
)
def test_the_sealed_form_is_byte_for_byte_the_earlier_one_and_reads_back(state: HouseholdState) -> None:
    assert _sealed(state) == _as_before(state)
    assert HouseholdState.from_json(state.to_json()) == state


def test_the_sealed_form_shares_no_container_with_the_state() -> None:
    state = _state()
    raw = state.to_json()
    raw["members"][0].setdefault("details", {})["labour_capacity"] = "full"
    raw["entitlements"][1].setdefault("schedule", []).clear()
    assert state.members[0].details == {"labour_capacity": "none"}
    assert state.entitlements[1].schedule == (_STEP,)
