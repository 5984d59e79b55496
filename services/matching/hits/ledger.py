"""The hits' ledger (比对疑点台账) as Excel: the hit list (`GET /api/v1/matching/hits`) with its filters and order, a
keyset page at a time, each page with its people in one query.

A person's masked number and name are kept in the clear beside the sealed identity (watchlist/models.py); the sealed
identity is opened only for a whole export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.events.base import PersonRef
from libs.contracts.ledger_words import HIT_ROLES, HIT_STATUSES, SEVERITIES, SOURCES, word
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import PLACE, SERIAL, Column, Ledger, Row, day, person
from services.matching.context import IDENTITY, Matching
from services.matching.hits import repository
from services.matching.hits.models import Hit, HitStatus
from services.matching.watchlist.models import Person

PAGE_ROWS = 500
NAME = "比对疑点台账"

COLUMNS = (
    SERIAL,
    Column("疑点编号", width=20),
    *PLACE,
    Column("家庭编号", width=20),
    *person(),
    Column("人员类别", width=12),
    Column("数据来源", width=14),
    Column("疑点内容", width=40),
    Column("风险等级", width=9),
    day("发现日期"),
    day("核查期限"),
    Column("是否超期", width=9),
    Column("核查状态", width=10),
    Column("核查结论", width=30),
    Column("核查人", width=10),
)


def ledger(title: str) -> Ledger:
    return Ledger(sheet=NAME, title=title, columns=COLUMNS)


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
    after: tuple[dt.date, str] | None = None
    n = 0
    while True:
        hits = await repository.hits_page(session, where, after, PAGE_ROWS - 1)
        if not hits:
            return
        people = await repository.people_of(session, hits)
        page: list[Row] = []
        for hit in hits:
            n += 1
            page.append(_row(n, hit, people.get(hit.person), ctx, names, today, whole))
        after = (hits[-1].due_date, hits[-1].id)
        yield page


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
        names.name(code[:6]),
        names.name(code[:9]) if len(code) >= 9 else None,
        names.name(code) if len(code) == 12 else None,
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
