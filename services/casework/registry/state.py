"""A household as one value: what it is now (from the current rows) or was (from a sealed version).

Everything that shows or publishes a household (the officer's view, `household-changed`, the province's recipient
item, the version history) is built from this one shape, so they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import NotRequired, Self, TypedDict, cast

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.entitlements import is_current
from services.casework.context import DETAILS_CONTEXT, ID_NUMBER_CONTEXT, Casework
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
        )


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
        # The fields in their order, as `dataclasses.asdict` gives them (so the sealed bytes stay those of every
        # earlier version), without its deep copies: a standard raise seals 100,000 of these in one batch.
        raw = cast(HouseholdJson, _plain(self))
        raw["next_review_date"] = self.next_review_date.isoformat() if self.next_review_date else None
        raw["updated_at"] = self.updated_at.isoformat()
        for m, member in zip(raw["members"], self.members, strict=True):
            m["birth_date"] = member.birth_date.isoformat()
        for e, entitlement in zip(raw["entitlements"], self.entitlements, strict=True):
            e["since"] = entitlement.since.isoformat()
        return raw

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


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(value: object) -> object:
    """`dataclasses.asdict` of a state whose leaves are immutable or JSON (containers are rebuilt, never shared)."""
    kind = type(value)
    if kind is str or kind is int or value is None:
        return value
    if is_dataclass(value):
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return kind(_plain(v) for v in value)  # type: ignore[call-arg]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


async def load_state(session: AsyncSession, ctx: Casework, household: Household) -> HouseholdState:
    """The household as it is now, from its current rows (identity numbers and details unsealed)."""
    [state] = await load_states(session, ctx, [household])
    return state


async def load_states(
    session: AsyncSession, ctx: Casework, households: Sequence[Household], *, details: bool = True
) -> list[HouseholdState]:
    """`load_state` for many households in two queries (members, entitlements), not two per household."""
    ids = [h.id for h in households]
    if not ids:
        return []
    members: dict[str, list[HouseholdMember]] = defaultdict(list)
    for m in await session.scalars(
        select(HouseholdMember)
        .where(HouseholdMember.household_id.in_(ids), HouseholdMember.left_at.is_(None))
        .order_by(HouseholdMember.household_id, HouseholdMember.id)
    ):
        members[m.household_id].append(m)
    entitlements: dict[str, list[Entitlement]] = defaultdict(list)
    for e in await session.scalars(
        select(Entitlement)
        .where(Entitlement.household_id.in_(ids))
        .order_by(Entitlement.household_id, Entitlement.program)
    ):
        entitlements[e.household_id].append(e)
    return [_state(ctx, h, members[h.id], entitlements[h.id], details) for h in households]


def _state(
    ctx: Casework, h: Household, members: list[HouseholdMember], ents: list[Entitlement], details: bool
) -> HouseholdState:
    ids = {m.person_hash: ctx.open(m.id_number_sealed, ID_NUMBER_CONTEXT) for m in members}
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
                details=json.loads(ctx.open(m.details_sealed, DETAILS_CONTEXT)) if details else {},
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
