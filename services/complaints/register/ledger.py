"""The complaint ledger (投诉举报台账) as Excel: the list (`GET /api/v1/complaints`) with its filters and order, newest
first, a keyset page at a time.

Never whole: who complained is revealed one item at a time, by the unit handling it, with a reason and never to a
relative of the household (`POST /{id}/contact/reveal`, DOMAIN.md §7), so a ledger of many items shows names masked
as the list does, no phone and no complainant's identity number. The identity number of the person complained about
is opened only to be masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from itertools import count

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.id_number import mask_name
from libs.contracts.ledger_words import (
    COMPLAINT_CATEGORIES,
    COMPLAINT_CHANNELS,
    COMPLAINT_SOURCES,
    COMPLAINT_STATUSES,
    FINDINGS,
    ISSUES,
    word,
)
from libs.kernel.ledgers import PAGE_ROWS, id_number_cell, keyset_pages
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import OVERDUE, PLACE, SERIAL, Column, Row, Sheet, day, person
from services.complaints.context import ID_NUMBER_CONTEXT, Complaints
from services.complaints.register import repository
from services.complaints.register.models import Complaint
from services.complaints.register.rules import CLOSED

SHEET = Sheet(
    "投诉举报台账",
    "complaints",
    (
        SERIAL,
        Column("工单编号", width=22),
        Column("来源", width=14),
        Column("渠道", width=8),
        Column("类别", width=8),
        Column("反映问题", width=16),
        Column("标题", width=30),
        *PLACE,
        Column("承办单位", width=16),
        Column("反映人", width=10),
        *person("被反映人", named=False),
        Column("办理状态", width=10),
        day("登记日期"),
        day("办理期限"),
        OVERDUE,
        day("办结日期"),
        Column("核查结论", width=14),
    ),
)


async def pages(
    session: AsyncSession,
    ctx: Complaints,
    prefix: str,
    f: repository.LedgerFilter,
    names: RegionNames,
) -> AsyncIterator[Sequence[Row]]:
    """The ledger in the list's order (newest first), a page at a time."""
    open_id = ctx.vault.opener(context=ID_NUMBER_CONTEXT)
    now = ctx.now()
    serial = count(1)
    async for items in keyset_pages(lambda after: repository.ledger(session, prefix, f, after, PAGE_ROWS), _keyset):
        yield [
            _row(next(serial), item, open_id(item.subject_id_sealed) if item.subject_id_sealed else None, names, now)
            for item in items
        ]


def _keyset(item: Complaint) -> tuple[dt.datetime, str]:
    return item.received_at, item.id


def _day(at: dt.datetime | None) -> dt.date | None:
    return at.astimezone(CHINA_TZ).date() if at is not None else None


def _row(n: int, item: Complaint, subject_id: str | None, names: RegionNames, now: dt.datetime) -> Row:
    code = item.region_code
    # As the list's `late`: answered after the deadline, or still open past it.
    late = (item.handled_at if item.status in CLOSED else None) or now
    return (
        n,
        item.work_order_no or item.id,
        word(COMPLAINT_SOURCES, item.source),
        word(COMPLAINT_CHANNELS, item.channel),
        word(COMPLAINT_CATEGORIES, item.category),
        word(ISSUES, item.issue) or None,
        item.title,
        *names.place(code),
        names.path(item.assigned_unit),
        "匿名" if item.anonymous else (mask_name(item.caller_name) if item.caller_name else None),
        mask_name(item.subject_name) if item.subject_name else None,
        id_number_cell(subject_id, whole=False),
        word(COMPLAINT_STATUSES, item.status),
        _day(item.received_at),
        _day(item.due_at),
        "是" if late > item.due_at else "否",
        _day(item.handled_at) if item.status in CLOSED else None,
        word(FINDINGS, item.finding) or None,
    )
