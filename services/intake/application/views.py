"""How an application is shown to staff: masked in lists, its declared content and history in the detail view."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.intake import mask_account
from libs.contracts.id_number import IdNumber
from libs.kernel.presenters import from_row
from services.intake.application import repository as repo
from services.intake.application.models import Application
from services.intake.application.schemas import (
    ApplicationOut,
    ApplicationStatus,
    ApplicationSummary,
    BankAccountOut,
    Decision,
    HistoryEntry,
    IncomeOut,
    MemberIn,
    MemberOut,
    MissingItem,
)
from services.intake.application.service import current_content
from services.intake.context import Intake


def summary(app: Application, today: dt.date) -> ApplicationSummary:
    overdue = app.status == ApplicationStatus.ACCEPTED.value and app.due_date is not None and app.due_date < today
    return from_row(
        ApplicationSummary, app, application_id=app.id, applicant_name=app.applicant_name_masked, overdue=overdue
    )


def _member(m: MemberIn) -> MemberOut:
    person = IdNumber.parse(m.id_number)
    return from_row(MemberOut, m, id_number_masked=person.masked(), birth_date=person.birth_date, sex=person.sex.value)


async def detail(session: AsyncSession, ctx: Intake, app: Application) -> ApplicationOut:
    body = await current_content(session, ctx, app)
    names = {m.id_number: m.name for m in body.members}
    account = None
    if (acc := body.bank_account) is not None:
        masked = mask_account(acc.account_no)
        account = from_row(BankAccountOut, acc, account_no_masked=masked, holder_name=names[acc.holder_id_number])
    decision = None
    if app.decision_case_id is not None and app.decided_at is not None and app.decision_outcome is not None:
        decision = Decision(
            case_id=app.decision_case_id,
            outcome=app.decision_outcome,
            reasons=app.decision_reasons or [],
            effective_month=app.decision_effective_month,
            decided_at=app.decided_at,
        )
    history = [HistoryEntry.model_validate(h, from_attributes=True) for h in await repo.history_of(session, app.id)]
    applicant_name = names[body.applicant_id_number]
    return from_row(
        ApplicationOut,
        app,
        **summary(app, business_date(ctx.now())).model_dump(),
        applicant_name_full=applicant_name,
        members=[_member(m) for m in body.members],
        income=[from_row(IncomeOut, i, member_name=names[i.member_id_number]) for i in body.income],
        expenditure=list(body.expenditure),
        assets_count=len(body.assets),
        obligor_count=len(body.obligors),
        bank_account=account,
        declarations_signed=body.declarations.truthfulness_commitment and body.declarations.verification_authorisation,
        close_relatives=[
            {
                "member_name": names[r.member_id_number],
                "staff_name": r.staff_name,
                "staff_unit": r.staff_unit,
                "relation": r.relation.value,
            }
            for r in body.declarations.close_relative.relatives
        ],
        missing_items=[MissingItem.model_validate(i) for i in app.missing_items] if app.missing_items else None,
        decision=decision,
        history=history,
    )
