from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, StringConstraints

from libs.contracts.bank_account import AccountNo, BankCode
from libs.contracts.text import CleanText, PersonName

Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]


class AccountOut(BaseModel):
    household_id: str
    bank_code: str
    holder_name_masked: str
    account_no_masked: str
    status: str
    failure_reason: str | None
    failed_at: dt.datetime | None
    origin: str
    updated_at: dt.datetime


class RevealIn(BaseModel):
    reason: Reason


class RevealedAccount(BaseModel):
    household_id: str
    bank_code: str
    holder_name: str
    account_no: str


class AccountFixIn(BaseModel):
    bank_code: BankCode
    holder_name: PersonName
    account_no: AccountNo
    reason: Reason


class WarningOut(BaseModel):
    warning_id: str
    account_no_masked: str
    county_codes: list[str]
    household_ids: list[str]
    status: str
    raised_at: dt.datetime
    cleared_at: dt.datetime | None
    cleared_by: str | None
    clear_reason: str | None


class AccountReadOut(BaseModel):
    read_at: dt.datetime
    actor: str
    actor_kind: str
    actor_name: str
    purpose: str
    household_id: str | None
    roster_id: str | None
    accounts: int
    request_id: str | None
