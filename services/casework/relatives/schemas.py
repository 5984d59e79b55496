"""The close-relative register as staff file and read it (DOMAIN.md §7, seed 002)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, StringConstraints

from libs.contracts.events.intake import CloseRelation
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Input
from libs.contracts.region import RegionCodeStr
from libs.contracts.text import CleanLine, CleanText, PersonName

Name = PersonName
Unit = Annotated[CleanLine, StringConstraints(min_length=1, max_length=200)]
UserId = Annotated[CleanLine, StringConstraints(min_length=1, max_length=100)]
Reason = Annotated[CleanText, StringConstraints(min_length=1, max_length=2000)]


class FilingStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class RelativeIn(Input):
    id_number: IdNumberStr
    name: Name


class FilingIn(Input):
    """One staff member's close relative. `staff_user` is the staff member's user id where they have an account,
    so recusal can be enforced on the person, not only on the name (DOMAIN.md §7)."""

    staff_user: UserId | None = None
    staff_name: Name
    staff_unit: Unit
    # Where the staff member works (county, township or village): the filing is visible inside it.
    staff_region: RegionCodeStr
    relative: RelativeIn
    relation: CloseRelation


class WithdrawIn(Input):
    reason: Reason


class RelativeOut(BaseModel):
    id_number_masked: str  # never the full number (DOMAIN.md §11)
    name: str


class FilingOut(BaseModel):
    filing_id: int
    status: FilingStatus
    staff_user: str | None
    staff_name: str
    staff_unit: str
    staff_region: str
    relative: RelativeOut
    relation: CloseRelation
    filed_by: str
    filed_at: AwareDatetime
    withdrawn_at: AwareDatetime | None
    withdrawn_reason: str | None
