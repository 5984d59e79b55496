"""Events produced by casework (CONTRACTS.md §6): decisions, entitlements, households (DOMAIN.md §3, §4)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field

from libs.contracts.events.base import EventPayload, Id, MemberRef, PersonRef, Text
from libs.contracts.events.intake import SealedBankAccount
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Tolerant
from libs.contracts.money import MoneyStr
from libs.contracts.period import PeriodStr
from libs.contracts.programs import Program
from libs.contracts.region import RegionCodeStr


class CaseOutcome(StrEnum):
    # Application outcomes (DOMAIN.md §3.8) and review outcomes (§4, seed 000 §4).
    APPROVED = "approved"
    REJECTED = "rejected"
    CONTINUED = "continued"
    ADJUSTED = "adjusted"
    GRADUAL_EXIT = "gradual_exit"
    STOPPED = "stopped"


class EntitlementStatus(StrEnum):
    # The same statuses the provincial system receives (CONTRACTS.md §4).
    ACTIVE = "active"
    GRADUAL_EXIT = "gradual_exit"
    SUSPENDED = "suspended"
    STOPPED = "stopped"


class HouseholdChangeKind(StrEnum):
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    MEMBER_UPDATED = "member_updated"
    HEAD_CHANGED = "head_changed"
    REGION_CHANGED = "region_changed"
    BANK_ACCOUNT_CHANGED = "bank_account_changed"
    CLOSED = "closed"
    # 停旧建新: after the head's death the old household closes and a successor opens (DOMAIN.md §4).
    SUCCESSOR_OPENED = "successor_opened"


class CaseDecided(EventPayload):
    """A county (or delegated township) decision; reductions and stops always carry reasons (DOMAIN.md §4)."""

    event_type = "case-decided"

    case_id: Id
    application_id: Id | None = None
    household_id: Id | None = None
    program: Program
    outcome: CaseOutcome
    reasons: tuple[Text, ...] = ()
    # Approval pays from the month after the decision (DOMAIN.md §3.8, local); None when nothing is paid.
    effective_month: PeriodStr | None = None
    decided_at: AwareDatetime


class EntitlementChanged(EventPayload):
    """What a household is paid under one program from `effective_from` (to `effective_to` when set); rosters are
    built from it. A later event about the same entitlement overrides the months it covers: a gradual exit is
    published as one event per step of its schedule, then `stopped` from the first month without payment."""

    event_type = "entitlement-changed"

    entitlement_id: Id
    household_id: Id
    region_code: RegionCodeStr
    program: Program
    status: EntitlementStatus
    monthly_amount: MoneyStr
    effective_from: PeriodStr
    effective_to: PeriodStr | None = None
    payee: PersonRef
    # A reference to the account held by casework, never the account number itself (DOMAIN.md §9, §11).
    bank_account_ref: Id
    members: tuple[MemberRef, ...]
    case_id: Id | None = None
    changed_at: AwareDatetime
    # The account itself, sealed with the deployment's PII key like intake's (BANK_ACCOUNT_SEAL_CONTEXT): only
    # disbursement, which pays into it, opens it (DOMAIN.md §9, §11).
    payment_account: SealedBankAccount | None = None


class HouseholdSnapshot(Tolerant):
    household_id: Id
    region_code: RegionCodeStr
    head_id_number: IdNumberStr | None = None
    members: tuple[MemberRef, ...]
    programs: tuple[Program, ...] = ()
    closed: bool = False


class HouseholdChange(Tolerant):
    kind: HouseholdChangeKind
    id_number: IdNumberStr | None = None
    detail: str = ""


class HouseholdChanged(EventPayload):
    """The household as it is after the change, plus what changed (consumers may use either)."""

    event_type = "household-changed"

    household: HouseholdSnapshot
    changes: Annotated[tuple[HouseholdChange, ...], Field(min_length=1)]
    # Links a successor household to the one it replaces (停旧建新), keeping the history (DOMAIN.md §4).
    predecessor_household_id: Id | None = None
    changed_at: AwareDatetime
