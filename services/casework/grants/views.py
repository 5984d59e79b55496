"""Temporary grants as the API shows them: names masked, the account masked, the clock read for today."""

from __future__ import annotations

import datetime as dt

from libs.contracts.clock import business_date
from libs.contracts.events.grants import GrantKind
from libs.contracts.money import Money
from services.casework.grants.models import Cause, Payment, Review, TemporaryGrant
from services.casework.grants.rules import is_overdue
from services.casework.grants.schemas import GrantOut


def grant_out(grant: TemporaryGrant, today: dt.date) -> GrantOut:
    paid_on = business_date(grant.paid_at) if grant.paid_at else None
    return GrantOut(
        grant_id=grant.id,
        kind=GrantKind(grant.kind),
        region_code=grant.region_code,
        household_id=grant.household_id,
        case_id=grant.case_id,
        name_masked=grant.name_masked,
        family_size=grant.family_size,
        cause=Cause(grant.cause),
        situation=grant.situation,
        amount=Money.from_fen(grant.amount_fen).to_str(),
        bank_code=str(grant.account["bank_code"]),
        account_no_masked=str(grant.account["account_no_masked"]),
        discovered_at=grant.discovered_at,
        pay_by=grant.pay_by,
        pay_by_provisional=grant.pay_by_provisional,
        overdue=is_overdue(grant.pay_by, today, paid_on),
        payment=Payment(grant.payment),
        attempt=grant.attempt,
        paid_at=grant.paid_at,
        failure_reason=grant.failure_reason,
        review=Review(grant.review),
        explanation=grant.explanation,
        explained_at=grant.explained_at,
        review_reason=grant.review_reason,
        reviewed_at=grant.reviewed_at,
        granted_at=grant.granted_at,
        granted_by=grant.granted_by,
    )
