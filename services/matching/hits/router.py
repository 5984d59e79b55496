"""Hits for townships to check, overdue lists for counties, and the deaths raised (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy import func, select

from libs.contracts.clock import business_date
from libs.contracts.dates import CivilDate, Instant
from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.matching.context import Matching, MatchingCtx
from services.matching.dependencies import Checker, County, Reader
from services.matching.hits import service
from services.matching.hits.models import Death, Hit, HitStatus
from services.matching.hits.schemas import (
    ConfirmIn,
    DeathOut,
    DismissIn,
    HitOut,
    OverdueOut,
    TownshipOverdue,
)
from services.matching.watchlist.models import Person

router = APIRouter(prefix="/api/v1/matching", tags=["hits"])
HitId = Annotated[str, Path(max_length=64)]
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="A region prefix")]


def _out(hit: Hit, person: Person | None, today: dt.date) -> HitOut:
    return HitOut(
        hit_id=hit.id,
        rule=hit.rule_id,
        source=hit.source,
        description=hit.description,
        severity=hit.severity,
        suggested_action=hit.suggested_action,
        role=hit.role,
        household_id=hit.household_id,
        region_code=hit.region_code,
        township_code=hit.township_code,
        person_id_masked=person.id_masked if person else "",
        person_name_masked=person.name_masked if person else "",
        evidence=hit.evidence,
        status=hit.status,
        raised_at=hit.raised_at,
        due_date=hit.due_date,
        overdue=hit.status == HitStatus.OPEN.value and hit.due_date < today,
        resolved_at=hit.resolved_at,
        resolved_by=hit.resolved_by_name,
        resolution=hit.resolution,
    )


async def _people(session: DbSession, hits: list[Hit]) -> dict[object, Person]:
    keys = {h.person for h in hits}
    if not keys:
        return {}
    return {p.person: p for p in await session.scalars(select(Person).where(Person.person.in_(keys)))}


@router.get("/hits", response_model=Page[HitOut])
async def list_hits(
    session: DbSession,
    ctx: MatchingCtx,
    who: Reader,
    region_code: RegionQuery = None,
    status: HitStatus | None = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
    rule: Annotated[str | None, Query(max_length=64)] = None,
    overdue: bool = False,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[HitOut]:
    """Hits in the caller's jurisdiction (or under `region_code`), the soonest due first."""
    prefix = jurisdiction_prefix(who, region_code)
    today = business_date(ctx.now())
    stmt = select(Hit).where(Hit.region_code.startswith(prefix, autoescape=True))
    if status is not None:
        stmt = stmt.where(Hit.status == status.value)
    if source is not None:
        stmt = stmt.where(Hit.source == source)
    if rule is not None:
        stmt = stmt.where(Hit.rule_id == rule)
    if overdue:
        stmt = stmt.where(Hit.status == HitStatus.OPEN.value, Hit.due_date < today)
    after = decode_keyset(cursor, tuple[CivilDate, str])
    if after is not None:
        stmt = stmt.where(func.row(Hit.due_date, Hit.id) > func.row(*after))
    rows = list((await session.scalars(stmt.order_by(Hit.due_date, Hit.id).limit(limit + 1))).all())
    people = await _people(session, rows[:limit])
    return page_of(
        rows, limit, key=lambda h: (h.due_date.isoformat(), h.id), item=lambda h: _out(h, people.get(h.person), today)
    )


@router.get("/hits/overdue", response_model=OverdueOut)
async def overdue_hits(
    session: DbSession, ctx: MatchingCtx, who: County, region_code: RegionQuery = None
) -> OverdueOut:
    """Open hits past their two weeks (seed 001), counted per township, then listed (the first 1000)."""
    prefix = jurisdiction_prefix(who, region_code)
    today = business_date(ctx.now())
    late = (
        Hit.region_code.startswith(prefix, autoescape=True),
        Hit.status == HitStatus.OPEN.value,
        Hit.due_date < today,
    )
    counts = await session.execute(
        select(Hit.township_code, func.count(), func.min(Hit.due_date))
        .where(*late)
        .group_by(Hit.township_code)
        .order_by(Hit.township_code)
    )
    rows = list((await session.scalars(select(Hit).where(*late).order_by(Hit.due_date, Hit.id).limit(1000))).all())
    people = await _people(session, rows)
    return OverdueOut(
        region_code=prefix,
        as_of=today,
        by_township=[TownshipOverdue(township_code=t, overdue=n, oldest_due_date=d) for t, n, d in counts.all()],
        items=[_out(h, people.get(h.person), today) for h in rows],
    )


async def _one(session: DbSession, ctx: Matching, hit: Hit) -> HitOut:
    return _out(hit, await session.get(Person, hit.person), business_date(ctx.now()))


@router.get("/hits/{hit_id}", response_model=HitOut)
async def get_hit(hit_id: HitId, session: DbSession, ctx: MatchingCtx, who: Reader) -> HitOut:
    return await _one(session, ctx, await service.hit_in_jurisdiction(session, who, hit_id))


@router.post("/hits/{hit_id}/confirm", response_model=HitOut, responses={403: {}, 404: {}, 409: {}})
async def confirm_hit(
    hit_id: HitId, body: ConfirmIn, response: Response, session: DbSession, ctx: MatchingCtx, who: Checker
) -> HitOut:
    """The suspicion is borne out: casework opens a triggered review with the evidence (match-hit-confirmed)."""
    hit = await service.confirm(session, ctx, who, hit_id, body.note)
    note(response, "hit.confirmed", f"hit/{hit_id}")
    return await _one(session, ctx, hit)


@router.post("/hits/{hit_id}/dismiss", response_model=HitOut, responses={403: {}, 404: {}, 409: {}})
async def dismiss_hit(
    hit_id: HitId, body: DismissIn, response: Response, session: DbSession, ctx: MatchingCtx, who: Checker
) -> HitOut:
    """The suspicion is unfounded; the reason is kept with the hit."""
    hit = await service.dismiss(session, ctx, who, hit_id, body.reason)
    note(response, "hit.dismissed", f"hit/{hit_id}")
    return await _one(session, ctx, hit)


@router.get("/deaths", response_model=Page[DeathOut])
async def deaths(
    session: DbSession,
    who: Reader,
    region_code: RegionQuery = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[DeathOut]:
    """Deaths of recipients and members raised to casework and disbursement, the latest first."""
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(Death, Person).join(Person, Person.person == Death.person)
    stmt = stmt.where(Death.region_code.startswith(prefix, autoescape=True))
    after = decode_keyset(cursor, tuple[Instant, str])
    if after is not None:
        stmt = stmt.where(func.row(Death.raised_at, func.text(Death.person)) < func.row(*after))
    rows = list(
        (
            await session.execute(
                stmt.order_by(Death.raised_at.desc(), func.text(Death.person).desc()).limit(limit + 1)
            )
        ).all()
    )
    return page_of(
        rows,
        limit,
        key=lambda r: (r[0].raised_at.isoformat(), str(r[0].person)),
        item=lambda r: DeathOut(
            person_id_masked=r[1].id_masked,
            person_name_masked=r[1].name_masked,
            death_date=r[0].death_date,
            source=r[0].source,
            feed_id=r[0].feed_id,
            household_ids=list(r[0].household_ids),
            region_code=r[0].region_code,
            raised_at=r[0].raised_at,
        ),
    )
