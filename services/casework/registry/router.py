"""Staff API of the registry: households now and as they stood on a past date, their versions, and the village
posting (`/api/v1/casework/households`, `/api/v1/casework/postings`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from libs.contracts.clock import business_date
from libs.contracts.dates import CivilDate
from libs.contracts.id_number import IdNumberStr, mask_name
from libs.contracts.money import Money
from libs.contracts.programs import NEVER_PUBLISHED
from libs.kernel.auth import ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import NotFound
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.case.models import Case
from services.casework.case.rules import CaseStatus
from services.casework.case.views import masked_id
from services.casework.context import CaseworkCtx
from services.casework.dependencies import County, Reader
from services.casework.registry import imports
from services.casework.registry import service as registry
from services.casework.registry.imports import HouseholdImport
from services.casework.registry.models import Household, HouseholdMember, HouseholdVersion
from services.casework.registry.schemas import (
    EntitlementOut,
    HouseholdOut,
    HouseholdSummary,
    MemberOut,
    PostingItem,
    PostingOut,
    VersionOut,
)
from services.casework.registry.state import HouseholdState, load_state, load_states

router = APIRouter(prefix="/api/v1/casework", tags=["households"])


def _out(state: HouseholdState, as_of: dt.date | None = None) -> HouseholdOut:
    return HouseholdOut(
        household_id=state.household_id,
        region_code=state.region_code,
        status=state.status,
        members=[
            MemberOut(
                id_number_masked=masked_id(m.id_number), name=m.name, relation=m.relation, birth_date=m.birth_date
            )
            for m in state.members
        ],
        entitlements=[
            EntitlementOut(
                entitlement_id=e.entitlement_id,
                program=e.program,
                status=e.status,
                monthly_amount=Money.from_fen(e.monthly_amount_fen).to_str(),
                effective_from=e.effective_from,
                effective_to=e.effective_to,
                since=e.since,
                schedule=list(e.schedule),
            )
            for e in state.entitlements
        ],
        review_class=state.review_class,
        next_review_date=state.next_review_date,
        close_relative=state.close_relative,
        predecessor_id=state.predecessor_id,
        successor_id=state.successor_id,
        bank_code=state.bank_code,
        account_no_masked=state.account_no_masked,
        version=state.version,
        updated_at=state.updated_at,
        as_of=as_of,
    )


async def _household(session: DbSession, who: Reader, household_id: str) -> Household:
    household = await session.get(Household, household_id)
    if household is None:
        raise NotFound(f"No household {household_id}", code="household_not_found")
    ensure_jurisdiction(who, household.region_code)
    return household


@router.get("/households", response_model=Page[HouseholdSummary], responses={403: {}, 422: {}})
async def list_households(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
    person_id_number: IdNumberStr | None = None,
    status: Annotated[str | None, Query(pattern=r"^(active|closed)$")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[HouseholdSummary]:
    """Households in your jurisdiction, optionally the one(s) a person belongs to now."""
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(Household).where(Household.region_code.startswith(prefix, autoescape=True))
    if status is not None:
        stmt = stmt.where(Household.status == status)
    if person_id_number is not None:
        member = select(HouseholdMember.household_id).where(
            HouseholdMember.person_hash == ctx.hash(person_id_number), HouseholdMember.left_at.is_(None)
        )
        stmt = stmt.where(Household.id.in_(member))
    after = decode_keyset(cursor, tuple[str])
    if after is not None:
        stmt = stmt.where(Household.id > after[0])
    rows = (await session.scalars(stmt.order_by(Household.id).limit(limit + 1))).all()
    states = {s.household_id: s for s in await load_states(session, ctx, rows[:limit], details=False)}

    def item(h: Household) -> HouseholdSummary:
        s = states[h.id]
        head = s.member(s.head_id_number or "") or (s.members[0] if s.members else None)
        return HouseholdSummary(
            household_id=h.id,
            region_code=h.region_code,
            status=h.status,
            head_name_masked=mask_name(head.name) if head else "*",
            member_count=len(s.members),
            programs=list(s.programs()),
            next_review_date=h.next_review_date,
            close_relative=h.close_relative,
        )

    return page_of(rows, limit, key=lambda h: (h.id,), item=item)


@router.post("/households/import", response_model=HouseholdOut, status_code=201, responses={403: {}, 409: {}, 422: {}})
async def import_household(body: HouseholdImport, session: DbSession, ctx: CaseworkCtx, who: County) -> HouseholdOut:
    """Register a household the county already pays (from its old records), with its programs and amounts."""
    household = await imports.import_household(session, ctx, who, body)
    return _out(await load_state(session, ctx, household))


@router.get("/households/{household_id}", response_model=HouseholdOut, responses={403: {}, 404: {}})
async def get_household(
    household_id: str, session: DbSession, ctx: CaseworkCtx, who: Reader, as_of: CivilDate | None = None
) -> HouseholdOut:
    """The household now, or with `as_of` as it stood at the end of that day (from its kept versions)."""
    household = await _household(session, who, household_id)
    if as_of is None:
        return _out(await load_state(session, ctx, household))
    state = await registry.state_as_of(session, ctx, household_id, as_of)
    if state is None:
        raise NotFound(f"Household {household_id} did not exist on {as_of}", code="not_yet_registered")
    return _out(state, as_of)


@router.get("/households/{household_id}/versions", response_model=list[VersionOut], responses={403: {}, 404: {}})
async def versions(household_id: str, session: DbSession, who: Reader) -> list[VersionOut]:
    """Every recorded state of the household: when, what changed, and the case behind it."""
    await _household(session, who, household_id)
    rows = (
        await session.scalars(
            select(HouseholdVersion)
            .where(HouseholdVersion.household_id == household_id)
            .order_by(HouseholdVersion.version)
        )
    ).all()
    return [
        VersionOut(version=v.version, recorded_at=v.recorded_at, changes=v.changes, case_id=v.case_id) for v in rows
    ]


@router.get("/postings/{village_code}", response_model=PostingOut, responses={403: {}, 422: {}})
async def posting(
    village_code: Annotated[str, Path(pattern=r"^[0-9]{12}$")],
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
) -> PostingOut:
    """The village posting (公示): proposals in publicity and the standing recipient list, privacy-limited."""
    ensure_jurisdiction(who, village_code)
    today = business_date(ctx.now())
    items: list[PostingItem] = []
    proposals = (
        await session.scalars(
            select(Case).where(Case.region_code == village_code, Case.status == CaseStatus.PUBLICITY).order_by(Case.id)
        )
    ).all()
    for c in proposals:
        if c.program in NEVER_PUBLISHED:
            continue
        items.append(
            PostingItem(
                name_masked=c.applicant_name_masked,
                household_size=c.member_count,
                program=c.program,
                monthly_amount=Money.from_fen(c.proposed_amount_fen or 0).to_str(),
                stage="proposed",
                ends_on=c.publicity_ends_on,
            )
        )
    households = (
        await session.scalars(
            select(Household)
            .where(Household.region_code == village_code, Household.status == "active")
            .order_by(Household.id)
        )
    ).all()
    for s in await load_states(session, ctx, households, details=False):
        head = s.member(s.head_id_number or "") or (s.members[0] if s.members else None)
        for e in s.entitlements:
            # Children's allowances are never posted; neither is anything but the program and the amount.
            if e.program in NEVER_PUBLISHED or e.status == "stopped":
                continue
            items.append(
                PostingItem(
                    name_masked=mask_name(head.name) if head else "*",
                    household_size=len(s.members),
                    program=e.program,
                    monthly_amount=Money.from_fen(e.monthly_amount_fen).to_str(),
                    stage="recipient",
                )
            )
    return PostingOut(village_code=village_code, on=today, items=items)
