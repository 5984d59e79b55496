"""Members joining and a new head at review (seed 000 四(二) 核增（核减）救助人口, issue 21).

A review's adjustment may add members (a birth, a marriage, a release from prison, a return from the army) and name
a new head, beside removing members. The proposal checks them (a valid person, not a member already, in no other
recipient household, a head who stays) and counts the joining members in its calculation; the decision adds them to
the household and publishes `household-changed` (`member_added`, `head_changed`) with the recalculated entitlement
from the effective month, as an adjustment does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import JsonValue
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseOutcome, HouseholdChange, HouseholdChangeKind
from libs.contracts.events.intake import DeclaredIncome
from libs.contracts.id_number import IdNumber, mask_name
from libs.contracts.money import Money
from libs.kernel.presenters import from_row
from services.casework.case.content import (
    CaseContent,
    CaseMember,
    Circumstances,
    JoiningMember,
    SealedProposal,
)
from services.casework.case.errors import AlreadyAMember, DuplicateMember, HeadNotRemaining, OutcomeNotAllowed
from services.casework.case.models import Case
from services.casework.case.rules import CaseKind
from services.casework.case.schemas import AddedMember, JoinReason, ProposalIn
from services.casework.context import Casework
from services.casework.registry import service as registry
from services.casework.registry.errors import PersonAlreadyRecipient
from services.casework.registry.models import Household, HouseholdMember

REASON_ZH: dict[JoinReason, str] = {
    JoinReason.BIRTH: "出生",
    JoinReason.MARRIAGE: "婚入",
    JoinReason.RELEASE: "刑满释放",
    JoinReason.ARMY: "退役",
    JoinReason.OTHER: "其他",
}
HEAD = "head"


def changes_members(body: ProposalIn) -> bool:
    """The proposal changes who is in the household or who heads it (only an adjustment carries that out)."""
    return bool(body.members_removed or body.members_added) or body.head_id_number is not None


async def check(session: AsyncSession, ctx: Casework, case: Case, content: CaseContent, body: ProposalIn) -> None:
    """422/409 before anything is written: joining members and a new head go with a review's adjustment only."""
    if not body.members_added and body.head_id_number is None and body.former_head_relation is None:
        return
    if case.kind == CaseKind.APPLICATION or body.outcome is not CaseOutcome.ADJUSTED:
        raise OutcomeNotAllowed(
            "Members join and the head changes through a review's adjustment",
            errors=[{"loc": ["body", "outcome"], "msg": "adjusted (a review) only"}],
        )
    ids = [m.id_number for m in body.members_added]
    twice = {i for i, n in Counter(ids).items() if n > 1}
    if twice:
        raise DuplicateMember(
            "members_added lists a person twice",
            errors=[
                {"loc": ["body", "members_added", n, "id_number"], "msg": "listed twice"}
                for n, i in enumerate(ids)
                if i in twice
            ],
        )
    current = set(content.member_ids())
    members = [n for n, i in enumerate(ids) if i in current]
    if members:
        raise AlreadyAMember(
            "members_added names a member of the household",
            errors=[{"loc": ["body", "members_added", n, "id_number"], "msg": "already a member"} for n in members],
        )
    await ensure_free(session, ctx, case.household_id, ids)
    if body.head_id_number is not None:
        staying = (current - {m.id_number for m in body.members_removed}) | set(ids)
        if body.head_id_number not in staying:
            raise HeadNotRemaining(
                "The new head is not a member who stays",
                errors=[{"loc": ["body", "head_id_number"], "msg": "not a remaining member"}],
            )


async def ensure_free(session: AsyncSession, ctx: Casework, household_id: str | None, ids: Sequence[str]) -> None:
    """409 when a joining person belongs to a recipient household now (this one included: the review's snapshot may
    be older than the registry). The problem names the position, never the identity number."""
    for n, id_number in enumerate(ids):
        other = await registry.find_active_household_of(session, ctx.hash(id_number))
        if other is None:
            continue
        loc: list[str | int] = ["body", "members_added", n, "id_number"]
        if other.id == household_id:
            raise AlreadyAMember(
                "members_added names a member of the household", errors=[{"loc": loc, "msg": "member"}]
            )
        raise PersonAlreadyRecipient(
            "A joining member belongs to another recipient household: it leaves that one first",
            errors=[{"loc": loc, "msg": "in another recipient household"}],
        )


def _circumstances(m: AddedMember) -> Circumstances:
    return from_row(Circumstances, m, disability_kind=m.disability_kind.value if m.disability_kind else None)


def _case_member(m: AddedMember) -> CaseMember:
    birth_date = m.birth_date or IdNumber.parse(m.id_number).birth_date
    return from_row(CaseMember, m, birth_date=birth_date, details=_circumstances(m))


def with_joining(content: CaseContent, added: Sequence[AddedMember]) -> CaseContent:
    """The case's content as the calculation sees it once `added` have joined: members and their wages."""
    if not added:
        return content
    wages = tuple(
        DeclaredIncome(member_id_number=m.id_number, kind="wages", amount_12_months=m.wages_12_months)
        for m in added
        if Money.from_str(m.wages_12_months).fen > 0
    )
    return content.model_copy(
        update={
            "members": content.members + tuple(_case_member(m) for m in added),
            "declared_income": content.declared_income + wages,
        }
    )


def sealed_part(body: ProposalIn) -> dict[str, object]:
    """What the sealed proposal keeps of the changes (identity numbers): only the keys that are set."""
    part: dict[str, object] = {}
    if body.members_added:
        part["members_added"] = body.members_added
    if body.head_id_number is not None:
        part["head_id_number"] = body.head_id_number
        part["former_head_relation"] = body.former_head_relation or "other"
    return part


def shown_part(body: ProposalIn) -> dict[str, JsonValue | tuple[JoiningMember, ...]]:
    """What the clear proposal shows of them: masked names and reasons, and whether the head changes."""
    part: dict[str, JsonValue | tuple[JoiningMember, ...]] = {}
    if body.members_added:
        part["members_added"] = tuple(
            JoiningMember(name_masked=mask_name(m.name), reason=REASON_ZH[m.reason]) for m in body.members_added
        )
    if body.head_id_number is not None:
        part["head_changed"] = True
    return part


def registry_member(m: CaseMember) -> registry.NewMember:
    """A member of the case as the registry keeps them (their circumstances as stored)."""
    details = dict[str, object](m.details.stored()) if m.details else {}
    return registry.NewMember(m.id_number, m.name, m.relation, m.birth_date, details)


def new_members(added: Sequence[AddedMember]) -> list[registry.NewMember]:
    return [registry_member(_case_member(m)) for m in added]


async def apply(
    session: AsyncSession, ctx: Casework, household: Household, head_before: str | None, sealed: SealedProposal
) -> list[HouseholdChange]:
    """At the decision: the joining members become members (checked again: one may have joined another recipient
    household since the proposal), then the head changes. Returns the changes to publish."""
    await ensure_free(session, ctx, household.id, [m.id_number for m in sealed.members_added])
    changes = []
    for m, new in zip(sealed.members_added, new_members(sealed.members_added), strict=True):
        registry.add_member(session, ctx, household, new)
        changes.append(
            HouseholdChange(kind=HouseholdChangeKind.MEMBER_ADDED, id_number=m.id_number, detail=REASON_ZH[m.reason])
        )
    await session.flush()
    changes += await change_head(session, ctx, household, head_before, sealed)
    return changes


async def change_head(
    session: AsyncSession, ctx: Casework, household: Household, head_before: str | None, sealed: SealedProposal
) -> list[HouseholdChange]:
    """The new head's membership reads `head`; the former head, if staying, the relation the proposal gave."""
    new = sealed.head_id_number
    if new is None or new == head_before:
        return []
    new_hash = ctx.hash(new)
    rows = await session.scalars(
        select(HouseholdMember).where(
            HouseholdMember.household_id == household.id,
            HouseholdMember.left_at.is_(None),
            HouseholdMember.person_hash.in_([new_hash, household.head_hash or new_hash]),
        )
    )
    for row in rows:
        row.relation = HEAD if row.person_hash == new_hash else (sealed.former_head_relation or "other")
    household.head_hash = new_hash
    return [HouseholdChange(kind=HouseholdChangeKind.HEAD_CHANGED, id_number=new, detail="户主变更")]
