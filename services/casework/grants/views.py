"""Temporary grants as the API shows them: names masked, the account masked, the clock read for today."""

from __future__ import annotations

import datetime as dt

from libs.contracts.clock import business_date
from libs.contracts.money import Money
from libs.kernel.presenters import from_row
from services.casework.grants.models import TemporaryGrant
from services.casework.grants.rules import is_overdue
from services.casework.grants.schemas import GrantOut


def grant_out(grant: TemporaryGrant, today: dt.date) -> GrantOut:
    paid_on = business_date(grant.paid_at) if grant.paid_at else None
    return from_row(
        GrantOut,
        grant,
        grant_id=grant.id,
        amount=Money.from_fen(grant.amount_fen).to_str(),
        bank_code=str(grant.account["bank_code"]),
        account_no_masked=str(grant.account["account_no_masked"]),
        overdue=is_overdue(grant.pay_by, today, paid_on),
    )
