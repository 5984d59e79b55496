"""Leads as staff see and send them (DOMAIN.md §8)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, StringConstraints

from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Input
from libs.contracts.text import CleanLine, PersonName
from services.intake.fields import Phone, Reason, VillageCode


class LeadSource(StrEnum):
    VILLAGE_REFERRAL = "village_referral"
    HOTLINE = "hotline"
    PROVINCE_WARNING = "province_warning"


class LeadKind(StrEnum):
    # The provincial warning kinds (CONTRACTS.md §4), plus a plain request for help.
    INCOME_DROP = "income_drop"
    SERIOUS_ILLNESS = "serious_illness"
    DISASTER = "disaster"
    UNEMPLOYMENT = "unemployment"
    DEATH = "death"
    HELP_REQUEST = "help_request"
    OTHER = "other"


class LeadStatus(StrEnum):
    OPEN = "open"
    APPLICATION_OPENED = "application_opened"
    CLOSED = "closed"


class CloseReason(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    DECLINED = "declined"  # the person does not want to apply
    UNREACHABLE = "unreachable"
    DUPLICATE = "duplicate"
    RESOLVED_OTHERWISE = "resolved_otherwise"  # e.g. helped by another department
    MOVED_AWAY = "moved_away"
    DECEASED = "deceased"


class Contact(Input):
    """Whom a lead is about, as stored: from a referral, a hotline request or a provincial warning. The name is only
    cleaned here, because partners' requests arrive as events that must not fail; staff entry checks it as a name
    (`ContactIn`)."""

    name: Annotated[CleanLine, StringConstraints(min_length=1, max_length=64)]
    id_number: IdNumberStr | None = None
    phone: Phone | None = None
    address: Annotated[CleanLine, StringConstraints(max_length=300)] = ""


class ContactIn(Contact):
    name: PersonName


class ReferralIn(Input):
    """A village assistant's (or officer's) referral after a home visit."""

    region_code: VillageCode
    person: ContactIn
    kind: LeadKind
    detail: Reason


class CloseIn(Input):
    reason: CloseReason
    note: Reason


class AssignIn(Input):
    """Hand a lead that arrived with only a county code to the township (or village) it belongs to."""

    region_code: Annotated[str, StringConstraints(pattern=r"^[0-9]{9}([0-9]{3})?$")]


class LeadSummary(BaseModel):
    lead_id: str
    source: LeadSource
    source_ref: str | None
    region_code: str
    kind: LeadKind
    status: LeadStatus
    name: str  # masked
    due_date: dt.date
    due_date_provisional: bool
    overdue: bool
    application_id: str | None
    created_at: AwareDatetime


class ContactOut(BaseModel):
    name: str
    id_number_masked: str | None
    phone: str | None  # in full: the township has to call (DOMAIN.md §8)
    address: str


class LeadOut(LeadSummary):
    contact: ContactOut
    detail: str
    closed_reason: CloseReason | None
    closed_note: str | None
    ended_by: str | None
    ended_at: AwareDatetime | None
