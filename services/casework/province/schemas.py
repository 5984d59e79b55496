"""What the provincial low-income population system receives and reads (CONTRACTS.md §4), and the delivery log."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict

from libs.contracts.dates import Instant
from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.money import MoneyStr


class ProgramItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    program: str
    # Stopped programs stay in the item: the province must see the stop (CONTRACTS.md §4).
    status: EntitlementStatus
    monthly_amount: MoneyStr
    since: dt.date


class MemberItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    id_number: str
    name: str
    relation: str
    birth_date: dt.date


class RecipientItem(BaseModel):
    """One household as the province holds it: the whole current state, so a repeat or a reorder is harmless."""

    model_config = ConfigDict(frozen=True)

    household_id: str
    region_code: str
    programs: list[ProgramItem]
    members: list[MemberItem]
    updated_at: AwareDatetime
    # Added to the contract's shape (fields may be added): a closed household and the household it continues
    # (a split or a move, DOMAIN.md §4), so the province can link the two records.
    closed: bool
    predecessor_household_id: str | None


# A "+" left unencoded in a query string arrives as a space ("...T00:00:00 08:00"); the contract's own example
# is written that way, so the offset is put back rather than refusing a well-meant request.
_SPACED_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _restore_plus(value: Any) -> Any:
    if isinstance(value, str):
        # Pydantic would read a bare number as seconds since 1970 (found by tests/e2e/test_fuzz_partners.py): the
        # contract asks for ISO 8601 with an offset, and a number is a malformed request.
        if _NUMBER.fullmatch(value.strip()):
            raise ValueError("an ISO 8601 date-time with an offset, not a number")
        return _SPACED_OFFSET.sub(r"\1+\2", value.strip())
    return value


# 1970–2099: an instant in year 1 or 9999 was a 500 (issue 17).
UpdatedSince = Annotated[Instant, BeforeValidator(_restore_plus)]


class ChangeStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"


class ProvinceChangeOut(BaseModel):
    """A queued change as operators see it: no item content (it names people), only its delivery history."""

    model_config = ConfigDict(frozen=True, from_attributes=True)

    id: int
    household_id: str
    attempts: int
    last_error: str | None
    created_at: dt.datetime
    next_attempt_at: dt.datetime
    delivered_at: dt.datetime | None
