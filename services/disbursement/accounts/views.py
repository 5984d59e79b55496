"""Bank accounts as staff see them: holder's name and number masked, unless revealed on purpose."""

from __future__ import annotations

from libs.contracts.id_number import mask_name
from services.disbursement.accounts.models import AccountRead, AccountWarning, BankAccount
from services.disbursement.accounts.schemas import AccountOut, AccountReadOut, RevealedAccount, WarningOut


def account_out(a: BankAccount) -> AccountOut:
    return AccountOut(
        household_id=a.household_id,
        bank_code=a.bank_code,
        holder_name_masked=mask_name(a.holder_name),
        account_no_masked=a.account_no_masked,
        status=a.status,
        failure_reason=a.failure_reason,
        failed_at=a.failed_at,
        origin=a.origin,
        updated_at=a.updated_at,
    )


def revealed(a: BankAccount, account_no: str) -> RevealedAccount:
    return RevealedAccount(
        household_id=a.household_id, bank_code=a.bank_code, holder_name=a.holder_name, account_no=account_no
    )


def warning_out(w: AccountWarning) -> WarningOut:
    return WarningOut(
        warning_id=w.id,
        account_no_masked=w.account_no_masked,
        county_codes=w.county_codes,
        household_ids=w.household_ids,
        status=w.status,
        raised_at=w.raised_at,
        cleared_at=w.cleared_at,
        cleared_by=w.cleared_by,
        clear_reason=w.clear_reason,
    )


def read_out(r: AccountRead) -> AccountReadOut:
    return AccountReadOut(
        read_at=r.read_at,
        actor=r.actor,
        actor_kind=r.actor_kind,
        actor_name=r.actor_name,
        purpose=r.purpose,
        household_id=r.household_id,
        roster_id=r.roster_id,
        accounts=r.accounts,
        request_id=r.request_id,
    )
