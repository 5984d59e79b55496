"""Events produced by matching (CONTRACTS.md §6): verification and registry hits (DOMAIN.md §3.4, §5)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, JsonValue

from libs.contracts.events.base import EventPayload, Id, PersonRef, Text
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Tolerant

# Registry sources are the `source` values of CONTRACTS.md §5 (death, prison, vehicle, ...). They stay plain
# strings here so that a new feed does not break consumers that have not been redeployed.
Source = Text
# Registry fields as received, e.g. {"plate": "晋D12345", "vehicle_type": "car"}; shown to the officer as
# evidence.
Evidence = dict[str, JsonValue]


class FindingOutcome(StrEnum):
    CLEAR = "clear"  # the source was checked and holds nothing about the member
    FINDING = "finding"  # the source holds something the township must look at
    UNAVAILABLE = "unavailable"  # the source could not be checked; the report says so rather than "clear"


class VerificationFinding(Tolerant):
    member_id_number: IdNumberStr
    source: Source
    outcome: FindingOutcome
    detail: str = ""
    evidence: Evidence = Field(default_factory=dict)


class VerificationCompleted(EventPayload):
    """The economic verification report of a new application (逢进必核); a report, never a hit (§5)."""

    event_type = "verification-completed"

    application_id: Id
    verification_id: Id
    findings: tuple[VerificationFinding, ...]
    completed_at: AwareDatetime


class DeathDetected(EventPayload):
    """A recipient or member died: payments are held from the month after `death_date` (DOMAIN.md §5)."""

    event_type = "death-detected"

    person: PersonRef
    death_date: dt.date
    source: Source
    feed_id: Id
    household_ids: Annotated[tuple[Id, ...], Field(min_length=1)]
    detected_at: AwareDatetime


class MatchHitConfirmed(EventPayload):
    """A township confirmed a suspicion hit; casework opens a review with the evidence (DOMAIN.md §5)."""

    event_type = "match-hit-confirmed"

    hit_id: Id
    rule: Id
    source: Source
    person: PersonRef
    # The recipient household the hit concerns (for an obligor's hit, the household they support).
    household_id: Id
    severity: Text
    suggested_action: Text
    evidence: Evidence = Field(default_factory=dict)
    confirmed_at: AwareDatetime
