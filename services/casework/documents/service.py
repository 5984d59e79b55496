"""Print a case's document: the kept one if this decision was printed before, else render, number and keep it."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.casework import CaseOutcome
from libs.kernel.auth import Principal
from libs.kernel.document_archive import KeptDocument, Wanted, kept_for
from libs.kernel.region_names import names_for
from services.casework.case import repository
from services.casework.case.content import CaseContent, proposal_of
from services.casework.case.models import Case
from services.casework.case.rules import CaseStatus
from services.casework.context import Casework
from services.casework.db import documents, tables
from services.casework.documents.errors import DocumentNotAvailable
from services.casework.documents.printing import kept_or_printed
from services.casework.documents.wording import (
    CARD_OUTCOMES,
    NUMBER_WORD,
    DecidedCase,
    DocumentKind,
    ExitStepFacts,
    Line,
    card_document,
    decision_document,
)
from services.casework.registry.models import Household
from services.casework.registry.state import load_state


async def _decided(session: AsyncSession, ctx: Casework, case: Case) -> DecidedCase:
    if case.status != CaseStatus.DECIDED or case.outcome is None or case.decided_at is None:
        raise DocumentNotAvailable(f"Case {case.id} is not decided", status_now=case.status)
    content = CaseContent.open(ctx, case.content_sealed)
    proposal = proposal_of(case.proposal)
    names = await names_for(session, tables.region_names, [case.region_code])
    review_date = None
    household = await session.get(Household, case.household_id) if case.household_id else None
    if household is not None:
        state = await load_state(session, ctx, household)
        held = [e.next_review_date for e in state.entitlements if e.program == case.program and e.next_review_date]
        review_date = held[0] if held else state.next_review_date
    applicant = content.name_of(content.applicant_id_number) if content.applicant_id_number else ""
    return DecidedCase(
        case_id=case.id,
        application_no=case.application_no,
        outcome=CaseOutcome(case.outcome),
        program=case.program,
        addressee=applicant or case.applicant_name_masked,
        address=names.path(case.region_code),
        county_name=names.name(case.region_code[:6]),
        member_count=case.member_count,
        amount_fen=proposal.amount_fen if proposal else (case.proposed_amount_fen or 0),
        previous_amount_fen=proposal.current_amount_fen if proposal else 0,
        effective_month=case.effective_month,
        decided_on=business_date(case.decided_at),
        reasons=tuple(case.reasons or ()),
        calculation=tuple(Line(x.label, x.formula, x.amount_fen) for x in content.calculation),
        schedule=tuple(ExitStepFacts(s.first, s.last, s.percent, s.amount_fen) for s in (proposal.schedule or ()))
        if proposal
        else (),
        stop_month=proposal.stop_month if proposal else None,
        review_date=review_date,
    )


async def print_document(
    session: AsyncSession, ctx: Casework, who: Principal, case_id: str, kind: DocumentKind
) -> KeptDocument:
    """The case's document of `kind` for its decision: kept bytes when printed before, identical on every reprint."""
    case = await repository.visible_case(session, who, case_id)
    facts = await _decided(session, ctx, case)
    if kind is DocumentKind.CARD and facts.outcome not in CARD_OUTCOMES:
        raise DocumentNotAvailable(f"A {facts.outcome.value} case has no recipient's card", status_now=case.status)
    assert case.decided_at is not None  # checked by _decided
    builder = card_document if kind is DocumentKind.CARD else decision_document

    wanted = Wanted(
        kind=kind.value,
        subject_id=case.id,
        # One document per decision: a later decision of the same case (an appeal's restoration) prints anew.
        source_key=case.decided_at.isoformat(),
        region_code=case.region_code,
        household_id=case.household_id,
        issued_on=facts.decided_on,
        created_by=who.subject,
    )

    return await kept_or_printed(
        session, wanted, facts.county_name, NUMBER_WORD, lambda number: builder(facts, number, facts.decided_on)
    )


async def documents_of(session: AsyncSession, who: Principal, case_id: str) -> Sequence[KeptDocument]:
    case = await repository.visible_case(session, who, case_id)
    return await kept_for(session, documents, case.id)
