"""Bank accounts as staff see them: holder's name and number masked, unless revealed on purpose."""

from __future__ import annotations

from libs.contracts.id_number import mask_name
from libs.kernel.presenters import from_row
from services.disbursement.accounts.models import AccountRead, AccountWarning, BankAccount
from services.disbursement.accounts.schemas import AccountOut, AccountReadOut, RevealedAccount, WarningOut


def account_out(a: BankAccount) -> AccountOut:
    return from_row(AccountOut, a, holder_name_masked=mask_name(a.holder_name))


def revealed(a: BankAccount, account_no: str) -> RevealedAccount:
    return from_row(RevealedAccount, a, account_no=account_no)


def warning_out(w: AccountWarning) -> WarningOut:
    return from_row(WarningOut, w, warning_id=w.id)


def read_out(r: AccountRead) -> AccountReadOut:
    return from_row(AccountReadOut, r)
