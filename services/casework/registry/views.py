"""The registry as staff read it: households with masked identity numbers, summaries, versions."""

from __future__ import annotations

import datetime as dt

from libs.contracts.id_number import IdNumber, mask_name
from libs.contracts.money import Money
from services.casework.registry.models import Household, HouseholdVersion
from services.casework.registry.schemas import (
    EntitlementOut,
    HouseholdOut,
    HouseholdSummary,
    MemberOut,
    VersionOut,
)
from services.casework.registry.state import HouseholdState


def masked_id(id_number: str) -> str:
    return IdNumber.parse(id_number).masked()


def head_name_masked(state: HouseholdState) -> str:
    head = state.head()
    return mask_name(head.name) if head else "*"


def household_out(state: HouseholdState, as_of: dt.date | None = None) -> HouseholdOut:
    return HouseholdOut(
        household_id=state.household_id,
        region_code=state.region_code,
        status=state.status,
        members=[
            MemberOut(
                id_number_masked=masked_id(m.id_number), name=m.name, relation=m.relation, birth_date=m.birth_date
            )
            for m in state.members
        ],
        entitlements=[
            EntitlementOut(
                entitlement_id=e.entitlement_id,
                program=e.program,
                status=e.status,
                monthly_amount=Money.from_fen(e.monthly_amount_fen).to_str(),
                effective_from=e.effective_from,
                effective_to=e.effective_to,
                since=e.since,
                # The API's schedule stays a list of plain objects (its published schema).
                schedule=[dict(s) for s in e.schedule],
                next_review_date=e.next_review_date,
            )
            for e in state.entitlements
        ],
        review_class=state.review_class,
        next_review_date=state.next_review_date,
        close_relative=state.close_relative,
        predecessor_id=state.predecessor_id,
        successor_id=state.successor_id,
        bank_code=state.bank_code,
        account_no_masked=state.account_no_masked,
        version=state.version,
        updated_at=state.updated_at,
        as_of=as_of,
    )


def household_summary(h: Household, s: HouseholdState) -> HouseholdSummary:
    return HouseholdSummary(
        household_id=h.id,
        region_code=h.region_code,
        status=h.status,
        head_name_masked=head_name_masked(s),
        member_count=len(s.members),
        programs=list(s.programs()),
        next_review_date=h.next_review_date,
        close_relative=h.close_relative,
    )


def version_out(v: HouseholdVersion) -> VersionOut:
    return VersionOut.model_validate(v, from_attributes=True)
