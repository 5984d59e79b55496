"""停旧建新 (DOMAIN.md §4): when the head leaves a multi-member household (death, prison, moving out), the old record
closes with its history and a successor opens for the remaining members, linked both ways, with the recalculated
amount from the effective month; staff recused from the old household stay recused from the new one."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.entitlements import is_current
from libs.contracts.events.casework import HouseholdChange, HouseholdChangeKind
from libs.contracts.period import Period
from libs.contracts.programs import Program
from services.casework.case import member_changes
from services.casework.case.content import SealedProposal, proposal_of
from services.casework.case.models import Case
from services.casework.case.recusal import carry_recusals
from services.casework.context import Casework
from services.casework.outcome.rules import Member, succession_after_death
from services.casework.registry import service as registry
from services.casework.registry.models import Household
from services.casework.registry.state import HouseholdState


async def succeed(
    session: AsyncSession,
    ctx: Casework,
    old: Household,
    before: HouseholdState,
    leaving: dict[str, str],
    program: Program,
    start: Period,
    case: Case,
    sealed: SealedProposal | None = None,
) -> None:
    """停旧建新: close the old record, open a successor for the remaining members with the recalculated amount.

    Members joining at the same review (`sealed.members_added`) join the successor; a head the review names
    (`sealed.head_id_number`) heads it instead of the one the succession rule picks."""
    members = tuple(Member(m.id_number, m.name, m.relation, m.birth_date) for m in before.members)
    head = before.head_id_number
    assert head is not None
    plan = succession_after_death(members, head)
    others_leaving = {i for i in leaving if i != head}
    successors = [m for m in plan.successor_members if m.id_number not in others_leaving]
    details = {m.id_number: m.details for m in before.members}
    changed = sealed or SealedProposal()
    joining = member_changes.new_members(changed.members_added)
    chosen = changed.head_id_number or plan.new_head_id_number
    if chosen not in {m.id_number for m in successors}:
        chosen = changed.head_id_number  # the rule's pick left too, or the review named a joining member
    if chosen != plan.new_head_id_number:
        # The rule's pick keeps the relation it had; the review's head alone reads `head`.
        relations = {m.id_number: m.relation for m in members}
        successors = [
            replace(m, relation="head" if m.id_number == chosen else relations[m.id_number]) for m in successors
        ]
    joining = [replace(m, relation="head") if m.id_number == chosen else m for m in joining]
    await member_changes.ensure_free(session, ctx, old.id, [m.id_number for m in joining])
    old_programs = [e for e in before.entitlements if is_current(e.status)]
    for e in old_programs:
        await registry.stop_entitlement(
            session, ctx, old, Program(e.program), effective_from=str(start), case_id=case.id
        )
    await registry.close(session, ctx, old, f"户主变更 停旧建新 head left: {leaving[head]}")
    # The old record keeps the remaining members as its last state; the leavers' memberships end.
    await registry.remove_members(session, ctx, old, leaving)
    successor = await registry.create_household(
        session,
        ctx,
        region_code=old.region_code,
        members=[
            *(
                registry.NewMember(m.id_number, m.name, m.relation, m.birth_date, details.get(m.id_number, {}))
                for m in successors
            ),
            *joining,
        ],
        head_id_number=chosen or ([m.id_number for m in successors] + [m.id_number for m in joining])[0],
        review_class=old.review_class,
        next_review_date=old.next_review_date,
        account=None,
        predecessor_id=old.id,
        close_relative=old.close_relative,
    )
    # The account stays with the household until the officer records the new payee's (DOMAIN.md §9).
    for name in ("bank_code", "account_holder", "account_no_masked", "account_no_sealed", "bank_account_ref"):
        setattr(successor, name, getattr(old, name))
    old.successor_id = successor.id
    await carry_recusals(session, from_kind="household", from_id=old.id, household_id=successor.id)
    proposal = proposal_of(case.proposal)
    for e in old_programs:
        amount = proposal.amount_fen if proposal and e.program == program else e.monthly_amount_fen
        await registry.pay_entitlement(
            session, ctx, successor, Program(e.program), amount, effective_from=str(start), case_id=case.id
        )
    removed = [
        HouseholdChange(kind=HouseholdChangeKind.MEMBER_REMOVED, id_number=i, detail=leaving[i]) for i in leaving
    ]
    old_state = await registry.record_version(
        session,
        ctx,
        old,
        [*removed, HouseholdChange(kind=HouseholdChangeKind.CLOSED, detail="停旧建新")],
        case_id=case.id,
    )
    new_state = await registry.record_version(
        session,
        ctx,
        successor,
        [
            HouseholdChange(kind=HouseholdChangeKind.SUCCESSOR_OPENED, detail=f"successor of {old.id}"),
            *(
                HouseholdChange(
                    kind=HouseholdChangeKind.MEMBER_ADDED,
                    id_number=m.id_number,
                    detail=member_changes.REASON_ZH[m.reason],
                )
                for m in changed.members_added
            ),
        ],
        case_id=case.id,
        predecessor_id=old.id,
    )
    for e in old_programs:
        await registry.publish_program(session, ctx, old, old_state, Program(e.program))
        await registry.publish_program(session, ctx, successor, new_state, Program(e.program))
