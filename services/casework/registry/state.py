"""A household as one value: what it is now (from the current rows) or was (from a sealed version).

Everything that shows or publishes a household (the officer's view, `household-changed`, the province's recipient
item, the version history) is built from this one shape, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NotRequired, Protocol, Self, TypedDict

from sqlalchemy import ARRAY, BindParameter, Text, any_, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from libs.contracts.entitlements import is_current
from services.casework.context import DETAILS_CONTEXT, ID_NUMBER_CONTEXT, Casework
from services.casework.db import Base
from services.casework.registry.models import Entitlement, GradualExitStep, Household, HouseholdMember


# The sealed form kept in `household_versions` (dates as ISO strings). Keys added over time are NotRequired: a
# version sealed before them is still read.
class MemberJson(TypedDict):
    id_number: str
    name: str
    relation: str
    birth_date: str
    details: NotRequired[dict[str, object]]


class EntitlementJson(TypedDict):
    entitlement_id: str
    program: str
    status: str
    monthly_amount_fen: int
    effective_from: str
    effective_to: NotRequired[str | None]
    since: str
    beneficiary_id_number: NotRequired[str | None]
    schedule: NotRequired[list[GradualExitStep]]
    case_id: NotRequired[str | None]
    next_review_date: NotRequired[str | None]


class HouseholdJson(TypedDict):
    household_id: str
    region_code: str
    status: str
    head_id_number: NotRequired[str | None]
    members: list[MemberJson]
    entitlements: list[EntitlementJson]
    review_class: str
    next_review_date: NotRequired[str | None]
    close_relative: NotRequired[bool]
    predecessor_id: NotRequired[str | None]
    successor_id: NotRequired[str | None]
    bank_code: NotRequired[str | None]
    account_holder: NotRequired[str | None]
    account_no_masked: NotRequired[str | None]
    version: int
    updated_at: str


@dataclass(frozen=True, slots=True)
class MemberState:
    id_number: str
    name: str
    relation: str
    birth_date: dt.date
    # disability_kind, disability_grade, serious_illness, labour_capacity, employment, self_care
    details: dict[str, object] = field(default_factory=dict)

    @classmethod
    def read(cls, raw: MemberJson) -> Self:
        return cls(
            id_number=raw["id_number"],
            name=raw["name"],
            relation=raw["relation"],
            birth_date=dt.date.fromisoformat(raw["birth_date"]),
            details=dict(raw.get("details") or {}),
        )

    def to_json(self) -> MemberJson:
        # Details are flat (a name to a string, number or flag): a shallow copy is a copy.
        return {
            "id_number": self.id_number,
            "name": self.name,
            "relation": self.relation,
            "birth_date": self.birth_date.isoformat(),
            "details": dict(self.details),
        }


@dataclass(frozen=True, slots=True)
class EntitlementState:
    entitlement_id: str
    program: str
    status: str
    monthly_amount_fen: int
    effective_from: str
    effective_to: str | None
    since: dt.date
    beneficiary_id_number: str | None = None
    schedule: tuple[GradualExitStep, ...] = ()
    case_id: str | None = None
    # The program's next visit (issue 21, case/review_dates.py); None where the registry check covers it.
    next_review_date: dt.date | None = None

    @classmethod
    def read(cls, raw: EntitlementJson) -> Self:
        return cls(
            entitlement_id=raw["entitlement_id"],
            program=raw["program"],
            status=raw["status"],
            monthly_amount_fen=int(raw["monthly_amount_fen"]),
            effective_from=raw["effective_from"],
            effective_to=raw.get("effective_to"),
            since=dt.date.fromisoformat(raw["since"]),
            beneficiary_id_number=raw.get("beneficiary_id_number"),
            schedule=tuple(raw.get("schedule") or ()),
            case_id=raw.get("case_id"),
            next_review_date=dt.date.fromisoformat(day) if (day := raw.get("next_review_date")) else None,
        )

    def to_json(self) -> EntitlementJson:
        return {
            "entitlement_id": self.entitlement_id,
            "program": self.program,
            "status": self.status,
            "monthly_amount_fen": self.monthly_amount_fen,
            "effective_from": self.effective_from,
            "effective_to": self.effective_to,
            "since": self.since.isoformat(),
            "beneficiary_id_number": self.beneficiary_id_number,
            "schedule": [GradualExitStep(**step) for step in self.schedule],
            "case_id": self.case_id,
            "next_review_date": self.next_review_date.isoformat() if self.next_review_date else None,
        }


@dataclass(frozen=True, slots=True)
class HouseholdState:
    household_id: str
    region_code: str
    status: str
    head_id_number: str | None
    members: tuple[MemberState, ...]
    entitlements: tuple[EntitlementState, ...]
    review_class: str
    next_review_date: dt.date | None
    close_relative: bool
    predecessor_id: str | None
    successor_id: str | None
    bank_code: str | None
    account_holder: str | None
    account_no_masked: str | None
    version: int
    updated_at: dt.datetime

    def to_json(self) -> HouseholdJson:
        """The sealed form kept in `household_versions` (dates as ISO strings)."""
        # Written out key by key in the fields' order, as `dataclasses.asdict` gives them (so the sealed bytes stay
        # those of every earlier version), without its recursion and deep copies: a standard raise seals 100,000 of
        # these in one batch.
        return {
            "household_id": self.household_id,
            "region_code": self.region_code,
            "status": self.status,
            "head_id_number": self.head_id_number,
            "members": [m.to_json() for m in self.members],
            "entitlements": [e.to_json() for e in self.entitlements],
            "review_class": self.review_class,
            "next_review_date": self.next_review_date.isoformat() if self.next_review_date else None,
            "close_relative": self.close_relative,
            "predecessor_id": self.predecessor_id,
            "successor_id": self.successor_id,
            "bank_code": self.bank_code,
            "account_holder": self.account_holder,
            "account_no_masked": self.account_no_masked,
            "version": self.version,
            "updated_at": self.updated_at.isoformat(),
        }

    @classmethod
    def from_json(cls, raw: HouseholdJson) -> Self:
        return cls(
            household_id=raw["household_id"],
            region_code=raw["region_code"],
            status=raw["status"],
            head_id_number=raw.get("head_id_number"),
            members=tuple(MemberState.read(m) for m in raw["members"]),
            entitlements=tuple(EntitlementState.read(e) for e in raw["entitlements"]),
            review_class=raw["review_class"],
            next_review_date=dt.date.fromisoformat(day) if (day := raw.get("next_review_date")) else None,
            close_relative=bool(raw.get("close_relative")),
            predecessor_id=raw.get("predecessor_id"),
            successor_id=raw.get("successor_id"),
            bank_code=raw.get("bank_code"),
            account_holder=raw.get("account_holder"),
            account_no_masked=raw.get("account_no_masked"),
            version=int(raw["version"]),
            updated_at=dt.datetime.fromisoformat(raw["updated_at"]),
        )

    def member(self, id_number: str) -> MemberState | None:
        return next((m for m in self.members if m.id_number == id_number), None)

    def head(self) -> MemberState | None:
        """The head, or the first member where none is recorded (a household made before heads were kept)."""
        return self.member(self.head_id_number or "") or (self.members[0] if self.members else None)

    def programs(self) -> tuple[str, ...]:
        """The programs the household still has (a suspended one included: only a stop lets go)."""
        return tuple(e.program for e in self.entitlements if is_current(e.status))


async def load_state(session: AsyncSession, ctx: Casework, household: Household) -> HouseholdState:
    """The household as it is now, from its current rows (identity numbers and details unsealed)."""
    [state] = await load_states(session, ctx, [household])
    return state


class _MemberRow(Protocol):
    """The columns of a current member that a state is built from (a row, not an ORM object: see load_states); the
    query selects these names."""

    household_id: str
    person_hash: str
    id_number_sealed: str
    name: str
    relation: str
    birth_date: dt.date
    details_sealed: str


class _EntitlementRow(Protocol):
    """The columns of an entitlement that a state is built from, in the table's order; the query selects these
    names."""

    id: str
    household_id: str
    program: str
    status: str
    monthly_amount_fen: int
    effective_from: str
    effective_to: str | None
    beneficiary_hash: str | None
    schedule: list[GradualExitStep] | None
    case_id: str | None
    since: dt.date
    next_review_date: dt.date | None


async def load_states(
    session: AsyncSession, ctx: Casework, households: Sequence[Household], *, details: bool = True
) -> list[HouseholdState]:
    """`load_state` for many households in two queries (members, entitlements), not two per household.

    The columns are read as rows, not ORM objects (still through the ORM's columns, so pending changes are flushed
    first): a standard raise loads 100,000 households, and building an object per member and entitlement was a
    fifth of its time. The ids go as one array parameter, not a parameter each."""
    ids = [h.id for h in households]
    if not ids:
        return []
    members: dict[str, list[_MemberRow]] = defaultdict(list)
    member_rows = await session.execute(
        select(*_columns(HouseholdMember, _MemberRow))
        .where(HouseholdMember.household_id == any_(_array(ids)), HouseholdMember.left_at.is_(None))
        .order_by(HouseholdMember.household_id, HouseholdMember.id)
    )
    for m in member_rows:
        members[m.household_id].append(m)
    entitlements: dict[str, list[_EntitlementRow]] = defaultdict(list)
    entitlement_rows = await session.execute(
        select(*_columns(Entitlement, _EntitlementRow))
        .where(Entitlement.household_id == any_(_array(ids)))
        .order_by(Entitlement.household_id, Entitlement.program)
    )
    for e in entitlement_rows:
        entitlements[e.household_id].append(e)
    # One opener per kind of value for the lot, not a set-up per value.
    openers = (ctx.vault.opener(context=ID_NUMBER_CONTEXT), ctx.vault.opener(context=DETAILS_CONTEXT))
    return [_state(openers, h, members[h.id], entitlements[h.id], details) for h in households]


def _columns(model: type[Base], row: type) -> list[InstrumentedAttribute[Any]]:
    """The model's columns that `row` names, in its order: the query reads exactly what a state is built from."""
    return [getattr(model, name) for name in inspect.get_annotations(row)]


def _array(ids: list[str]) -> BindParameter[Any]:
    return literal(ids, ARRAY(Text))


def _state(
    openers: tuple[Callable[[str], str], Callable[[str], str]],
    h: Household,
    members: list[_MemberRow],
    ents: list[_EntitlementRow],
    details: bool,
) -> HouseholdState:
    open_id_number, open_details = openers
    ids = {m.person_hash: open_id_number(m.id_number_sealed) for m in members}
    return HouseholdState(
        household_id=h.id,
        region_code=h.region_code,
        status=h.status,
        head_id_number=ids.get(h.head_hash or ""),
        members=tuple(
            MemberState(
                id_number=ids[m.person_hash],
                name=m.name,
                relation=m.relation,
                birth_date=m.birth_date,
                details=json.loads(open_details(m.details_sealed)) if details else {},
            )
            for m in members
        ),
        entitlements=tuple(
            EntitlementState(
                entitlement_id=e.id,
                program=e.program,
                status=e.status,
                monthly_amount_fen=e.monthly_amount_fen,
                effective_from=e.effective_from,
                effective_to=e.effective_to,
                since=e.since,
                beneficiary_id_number=ids.get(e.beneficiary_hash or ""),
                schedule=tuple(e.schedule or ()),
                case_id=e.case_id,
                next_review_date=e.next_review_date,
            )
            for e in ents
        ),
        review_class=h.review_class,
        next_review_date=h.next_review_date,
        close_relative=h.close_relative,
        predecessor_id=h.predecessor_id,
        successor_id=h.successor_id,
        bank_code=h.bank_code,
        account_holder=h.account_holder,
        account_no_masked=h.account_no_masked,
        version=h.version,
        updated_at=h.updated_at,
    )
