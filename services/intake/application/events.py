"""The events an application produces (CONTRACTS.md §6), built from its row and its declared content.

`application-submitted` carries what casework needs to decide and matching needs to verify: the members with
identity numbers, eligibility details, income, assets, obligors. The bank account goes sealed, never in clear
(DOMAIN.md §11); free-text illness descriptions do not go at all.
"""

from __future__ import annotations

from datetime import datetime

from libs.contracts.events.base import MemberRef, PersonRef
from libs.contracts.events.intake import (
    BANK_ACCOUNT_SEAL_CONTEXT,
    ApplicationDeadlineExtended,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    CloseRelativeDeclaration,
    DeclaredAsset,
    DeclaredExpenditure,
    DeclaredIncome,
    DeclaredObligor,
    DeclaredRelative,
    MemberDetails,
    SealedBankAccount,
    mask_account,
)
from libs.contracts.id_number import IdNumber
from libs.kernel.presenters import from_row
from services.intake.application.models import Application
from services.intake.application.schemas import ApplicationIn, Health
from services.intake.context import Intake


def submitted(ctx: Intake, app: Application, body: ApplicationIn) -> ApplicationSubmitted:
    assert app.accepted_at is not None
    assert app.due_date is not None
    members = tuple(from_row(MemberRef, m) for m in body.members)
    applicant = next(m for m in members if m.id_number == body.applicant_id_number)
    by_id = {m.id_number: m for m in body.members}
    relatives = tuple(from_row(DeclaredRelative, r) for r in body.declarations.close_relative.relatives)
    account = None
    if body.bank_account is not None:
        acc = body.bank_account
        account = from_row(
            SealedBankAccount,
            acc,
            holder_name=by_id[acc.holder_id_number].name,
            account_no_masked=mask_account(acc.account_no),
            account_no_sealed=ctx.seal(acc.account_no, BANK_ACCOUNT_SEAL_CONTEXT),
        )
    return from_row(
        ApplicationSubmitted,
        app,
        application_id=app.id,
        applicant=applicant,
        members=members,
        declared_income=tuple(from_row(DeclaredIncome, i) for i in body.income),
        declared_assets=tuple(
            from_row(DeclaredAsset, a, description=" ".join(p for p in (a.identifier, a.description) if p))
            for a in body.assets
        ),
        close_relative=CloseRelativeDeclaration(
            declared=body.declarations.close_relative.declared,
            staff_name=relatives[0].staff_name if relatives else None,
            relation=relatives[0].relation.value if relatives else None,
            relatives=relatives,
        ),
        member_details=tuple(
            from_row(
                MemberDetails,
                m,
                birth_date=IdNumber.parse(m.id_number).birth_date,
                serious_illness=m.health is Health.SERIOUS_ILLNESS,
            )
            for m in body.members
        ),
        declared_expenditure=tuple(from_row(DeclaredExpenditure, e) for e in body.expenditure),
        obligors=tuple(from_row(DeclaredObligor, o, person=from_row(PersonRef, o)) for o in body.obligors),
        payment_account=account,
    )


def extended(app: Application, reason: str, at: datetime) -> ApplicationDeadlineExtended:
    assert app.due_date is not None
    return from_row(ApplicationDeadlineExtended, app, application_id=app.id, reason=reason, extended_at=at)


def withdrawn(app: Application, reason: str, at: datetime) -> ApplicationWithdrawn:
    return ApplicationWithdrawn(application_id=app.id, reason=reason, withdrawn_at=at)
