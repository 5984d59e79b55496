"""How an application is shown to staff: masked in lists, its declared content and history in the detail view."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.intake import mask_account
from libs.contracts.id_number import IdNumber
from libs.contracts.programs import Program
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
    MemberOut,
    MissingItem,
)
from services.intake.application.service import current_content
from services.intake.context import Intake


def summary(app: Application, today: dt.date) -> ApplicationSummary:
    return ApplicationSummary(
        application_id=app.id,
        application_no=app.application_no,
        program=Program(app.program),
        region_code=app.region_code,
        channel=app.channel,
        status=ApplicationStatus(app.status),
        emergency=app.emergency,
        applicant_name=app.applicant_name_masked,
        member_count=app.member_count,
        close_relative_declared=app.close_relative_declared,
        created_at=app.created_at,
        accepted_at=app.accepted_at,
        due_date=app.due_date,
        due_date_provisional=app.due_date_provisional,
        overdue=app.status == ApplicationStatus.ACCEPTED.value and app.due_date is not None and app.due_date < today,
        lead_id=app.lead_id,
    )


async def detail(session: AsyncSession, ctx: Intake, app: Application) -> ApplicationOut:
    body = await current_content(session, ctx, app)
    names = {m.id_number: m.name for m in body.members}
    members = []
    for m in body.members:
        person = IdNumber.parse(m.id_number)
        members.append(
            MemberOut(
                relation=m.relation.value,
                id_number_masked=person.masked(),
                name=m.name,
                birth_date=person.birth_date,
                sex=person.sex.value,
                disability_kind=m.disability_kind.value if m.disability_kind else None,
                disability_grade=m.disability_grade,
                health=m.health.value,
                labour_capacity=m.labour_capacity.value,
                employment=m.employment.value,
            )
        )
    account = None
    if body.bank_account is not None:
        account = BankAccountOut(
            bank_code=body.bank_account.bank_code,
            account_no_masked=mask_account(body.bank_account.account_no),
            holder_name=names[body.bank_account.holder_id_number],
        )
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
    return ApplicationOut(
        **summary(app, business_date(ctx.now())).model_dump(),
        version=app.version,
        applicant_name_full=applicant_name,
        members=members,
        income=[
            IncomeOut(
                member_name=names[i.member_id_number], kind=i.kind, amount_12_months=i.amount_12_months, note=i.note
            )
            for i in body.income
        ],
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
        extension_reason=app.extension_reason,
        withdrawal_reason=app.withdrawal_reason,
        decision=decision,
        history=history,
    )
