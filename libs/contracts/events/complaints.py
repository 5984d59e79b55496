"""Events produced by complaints (CONTRACTS.md §6): hotline and other complaint channels (DOMAIN.md §6)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, model_validator

from libs.contracts.events.base import EventPayload, Id, PersonRef, Text
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Tolerant
from libs.contracts.region import RegionCodeStr


class ComplaintFinding(StrEnum):
    # Only these two trigger a review; the hotline's other findings (CONTRACTS.md §2) produce no event.
    SUBSTANTIATED = "substantiated"
    PARTLY_SUBSTANTIATED = "partly_substantiated"


class ComplaintSubstantiated(EventPayload):
    """A substantiated complaint about a household triggers its review (DOMAIN.md §4, §6)."""

    event_type = "complaint-substantiated"

    complaint_id: Id
    work_order_no: Id | None = None
    region_code: RegionCodeStr
    household_id: Id | None = None
    person: PersonRef | None = None
    category: Text
    finding: ComplaintFinding
    summary: str = ""
    substantiated_at: AwareDatetime

    @model_validator(mode="after")
    def _names_a_subject(self) -> ComplaintSubstantiated:
        # Casework can only open a review if it can find the household, directly or through a member.
        if self.household_id is None and self.person is None:
            raise ValueError("a substantiated complaint names a household_id or a person")
        return self


class Contact(Tolerant):
    """The person asking for help; the identity number is often unknown on a hotline call."""

    name: Text
    id_number: IdNumberStr | None = None
    # Needed: the township must contact the person (DOMAIN.md §8).
    phone: str | None = None
    address: str | None = None


class HelpRequested(EventPayload):
    """A request for help becomes an active-discovery lead for the township (DOMAIN.md §6, §8)."""

    event_type = "help-requested"

    complaint_id: Id
    work_order_no: Id | None = None
    person: Contact
    region_code: RegionCodeStr
    need: Text
    requested_at: AwareDatetime
