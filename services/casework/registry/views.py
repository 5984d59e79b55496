"""The registry as staff read it: households with masked identity numbers, summaries, versions."""

from __future__ import annotations

import datetime as dt

from libs.contracts.id_number import mask_name, masked_form
from libs.contracts.money import Money
from libs.kernel.presenters import from_row
from services.casework.registry.models import Household, HouseholdVersion
from services.casework.registry.schemas import (
    EntitlementOut,
    HouseholdOut,
    HouseholdSummary,
    MemberOut,
    VersionOut,
)
from services.casework.registry.state import HouseholdState, MemberState


def head_name_masked(state: HouseholdState) -> str:
    head = state.head()
    return mask_name(head.name) if head else "*"


def member_out(m: MemberState) -> MemberOut:
    """A member as staff see them: the identity number masked."""
    return from_row(MemberOut, m, id_number_masked=masked_form(m.id_number))


def household_out(state: HouseholdState, as_of: dt.date | None = None) -> HouseholdOut:
    return from_row(
        HouseholdOut,
        state,
        members=[member_out(m) for m in state.members],
        entitlements=[
            from_row(
                EntitlementOut,
                e,
                monthly_amount=Money.from_fen(e.monthly_amount_fen).to_str(),
                # The API's schedule stays a list of plain objects (its published schema).
                schedule=[dict(s) for s in e.schedule],
            )
            for e in state.entitlements
        ],
        as_of=as_of,
    )


def household_summary(h: Household, s: HouseholdState) -> HouseholdSummary:
    return from_row(
        HouseholdSummary,
        h,
        household_id=h.id,
        head_name_masked=head_name_masked(s),
        member_count=len(s.members),
        programs=list(s.programs()),
    )


def version_out(v: HouseholdVersion) -> VersionOut:
    return VersionOut.model_validate(v, from_attributes=True)
