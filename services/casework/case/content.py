"""What a case decides on: the members, their circumstances, the declared figures; sealed on the case row.

Built from intake's application, or from the household as it stands when a review opens, in one JSON shape so the
calculation reads both the same way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from libs.contracts.events.intake import ApplicationSubmitted
from libs.contracts.id_number import IdNumber
from libs.contracts.money import Money
from libs.contracts.programs import Program
from services.casework.benefit.rules import (
    BenefitInput,
    DeductionItem,
    DeductionKind,
    IncomeItem,
    MemberFacts,
    SelfCare,
)
from services.casework.registry.state import HouseholdState


def from_application(e: ApplicationSubmitted) -> dict[str, Any]:
    details = {d.id_number: d for d in e.member_details}
    members = []
    for m in e.members:
        d = details.get(m.id_number)
        members.append(
            {
                "id_number": m.id_number,
                "name": m.name,
                "relation": m.relation,
                "birth_date": (d.birth_date if d else IdNumber.parse(m.id_number).birth_date).isoformat(),
                "details": {
                    "disability_kind": d.disability_kind if d else None,
                    "disability_grade": d.disability_grade if d else None,
                    "serious_illness": d.serious_illness if d else False,
                    "labour_capacity": d.labour_capacity if d else None,
                    "employment": d.employment if d else None,
                },
            }
        )
    support = sum(Money.from_str(o.support_monthly).fen for o in e.obligors)
    return {
        "members": members,
        "applicant_id_number": e.applicant.id_number,
        "declared_income": [i.model_dump(mode="json") for i in e.declared_income],
        "declared_assets": [a.model_dump(mode="json") for a in e.declared_assets],
        "expenditure": [x.model_dump(mode="json") for x in e.declared_expenditure],
        "obligor_support_monthly_fen": support,
        "obligors": [o.model_dump(mode="json") for o in e.obligors],
        "payment_account": e.payment_account.model_dump(mode="json") if e.payment_account else None,
        "close_relative": e.close_relative.model_dump(mode="json"),
    }


def from_household(state: HouseholdState, trigger: dict[str, Any]) -> dict[str, Any]:
    head = state.head_id_number or (state.members[0].id_number if state.members else None)
    return {
        "members": [
            {
                "id_number": m.id_number,
                "name": m.name,
                "relation": m.relation,
                "birth_date": m.birth_date.isoformat(),
                "details": m.details,
            }
            for m in state.members
        ],
        "applicant_id_number": head,
        "declared_income": [],
        "obligor_support_monthly_fen": 0,
        "trigger": trigger,
        "entitlements": [
            {"program": e.program, "status": e.status, "monthly_amount_fen": e.monthly_amount_fen}
            for e in state.entitlements
        ],
    }


def benefit_input(
    content: dict[str, Any],
    investigation: dict[str, Any] | None,
    program: Program,
    *,
    leaving: frozenset[str] = frozenset(),
    beneficiary_id_number: str | None = None,
    one_off_fen: int | None = None,
) -> BenefitInput:
    """The calculation's input: the members who stay, declared income, and what the investigation verified."""
    found = {f["member_id_number"]: f for f in (investigation or {}).get("members", [])}
    members = []
    for m in content["members"]:
        if m["id_number"] in leaving:
            continue
        d = m.get("details") or {}
        f = found.get(m["id_number"], {})
        employed = f.get("employed")
        self_care = f.get("self_care") or d.get("self_care")
        members.append(
            MemberFacts(
                id_number=m["id_number"],
                birth_date=dt.date.fromisoformat(m["birth_date"]),
                disability_kind=d.get("disability_kind"),
                disability_grade=d.get("disability_grade"),
                serious_illness=bool(d.get("serious_illness")),
                employed=bool(employed) if employed is not None else d.get("employment") == "employed",
                self_care=SelfCare(self_care) if self_care else None,
            )
        )
    staying = {m.id_number for m in members}

    def income(items: list[dict[str, Any]]) -> tuple[IncomeItem, ...]:
        return tuple(
            IncomeItem(i["member_id_number"], i["kind"], Money.from_str(i["amount_12_months"]).fen)
            for i in items
            if i["member_id_number"] in staying
        )

    inv = investigation or {}
    return BenefitInput(
        program=program,
        members=tuple(members),
        declared_income=income(content.get("declared_income", [])),
        verified_income=income(inv.get("verified_income", [])),
        obligor_support_monthly_fen=int(
            Money.from_str(inv["obligor_support_monthly"]).fen
            if inv.get("obligor_support_monthly") not in (None, "0.00")
            else content.get("obligor_support_monthly_fen", 0)
        ),
        deductions=tuple(
            DeductionItem(
                DeductionKind(d["kind"]),
                Money.from_str(d["amount_12_months"]).fen,
                d.get("member_id_number") if d.get("member_id_number") in staying else None,
            )
            for d in inv.get("deductions", [])
        ),
        beneficiary_id_number=beneficiary_id_number if beneficiary_id_number in staying else None,
        one_off_fen=one_off_fen,
    )
