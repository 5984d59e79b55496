"""The hits' ledger (比对疑点台账) as Excel: the hit list (`GET /api/v1/matching/hits`) with its filters and order, a
keyset page at a time, each page with its people in one query.

A person's masked number and name are kept in the clear beside the sealed identity (watchlist/models.py); the sealed
identity is opened only for a whole export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from itertools import count

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.events.base import PersonRef
from libs.contracts.ledger_words import HIT_ROLES, HIT_STATUSES, SEVERITIES, SOURCES, word
from libs.kernel.ledgers import PAGE_ROWS, keyset_pages
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import HOUSEHOLD, OVERDUE, PLACE, SERIAL, Column, Row, Sheet, day, person
from services.matching.context import IDENTITY, Matching
from services.matching.hits import repository
from services.matching.hits.models import Hit, HitStatus
from services.matching.watchlist.models import Person

SHEET = Sheet(
    "比对疑点台账",
    "hits",
    (
        SERIAL,
        Column("疑点编号", width=20),
        *PLACE,
        HOUSEHOLD,
        *person(),
        Column("人员类别", width=12),
        Column("数据来源", width=14),
        Column("疑点内容", width=40),
        Column("风险等级", width=9),
        day("发现日期"),
        day("核查期限"),
        OVERDUE,
        Column("核查状态", width=10),
        Column("核查结论", width=30),
        Column("核查人", width=10),
    ),
)


async def pages(
    session: AsyncSession,
    ctx: Matching,
    where: repository.HitFilter,
    names: RegionNames,
    today: dt.date,
    *,
    whole: bool,
) -> AsyncIterator[Sequence[Row]]:
    """The list in its own order (soonest due first), a page at a time."""
    serial = count(1)
    async for hits in keyset_pages(lambda after: repository.hits_page(session, where, after, PAGE_ROWS - 1), _keyset):
        people = await repository.people_of(session, hits)
        yield [_row(next(serial), hit, people.get(hit.person), ctx, names, today, whole) for hit in hits]


def _keyset(hit: Hit) -> tuple[dt.date, str]:
    return hit.due_date, hit.id


def _identity(person: Person | None, ctx: Matching, whole: bool) -> tuple[str | None, str | None]:
    if person is None:
        return None, None
    if not whole:
        return person.name_masked, person.id_masked
    ref = PersonRef.model_validate_json(ctx.open(person.identity_sealed, IDENTITY))
    return ref.name, ref.id_number


def _row(
    n: int, hit: Hit, person: Person | None, ctx: Matching, names: RegionNames, today: dt.date, whole: bool
) -> Row:
    code = hit.region_code
    name, id_number = _identity(person, ctx, whole)
    overdue = hit.status == HitStatus.OPEN.value and hit.due_date < today
    return (
        n,
        hit.id,
        *names.place(code),
        hit.household_id,
        name,
        id_number,
        word(HIT_ROLES, hit.role),
        word(SOURCES, hit.source),
        hit.description,
        word(SEVERITIES, hit.severity),
        hit.raised_at.astimezone(CHINA_TZ).date(),
        hit.due_date,
        "是" if overdue else "否",
        word(HIT_STATUSES, hit.status),
        hit.resolution,
        hit.resolved_by_name,
    )
