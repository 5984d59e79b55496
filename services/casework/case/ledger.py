"""The cases' ledger (审核审批台账) as Excel: the case work list (`GET /api/v1/casework/cases`) with its filters and
order (earliest due first), a keyset page at a time.

The applicant's identity number is in the sealed case content; each row's content is opened for that one value (and
the applicant's name, for a whole export) and dropped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Sequence
from itertools import count

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.ledger_words import CASE_KINDS, CASE_STATUSES, OUTCOMES, TRIGGERS, program_name, word
from libs.kernel.ledgers import PAGE_ROWS, id_number_cell, keyset_pages
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import HOUSEHOLD, MEMBERS, OVERDUE, PLACE, PROGRAM, SERIAL, Column, Kind, Row, Sheet, day
from services.casework.case import repository
from services.casework.case.models import Case
from services.casework.case.rules import OPEN_STATUSES, CaseStatus
from services.casework.context import CONTENT_CONTEXT, Casework

SHEET = Sheet(
    "审核审批台账",
    "cases",
    (
        SERIAL,
        Column("案件编号", width=20),
        Column("申请编号", width=22),
        *PLACE,
        HOUSEHOLD,
        Column("办理类型", width=10),
        Column("启动原因", width=12),
        PROGRAM,
        Column("申请人（户主）", width=12),
        Column("身份证号码", width=21),
        MEMBERS,
        Column("办理状态", width=12),
        day("立案日期"),
        day("办结期限"),
        OVERDUE,
        Column("乡镇审核意见", width=14),
        Column("拟保障金额（元）", Kind.YUAN, 15),
        Column("审批结果", width=14),
    ),
)


async def pages(
    session: AsyncSession, ctx: Casework, f: repository.CaseFilter, names: RegionNames, today: dt.date, *, whole: bool
) -> AsyncIterator[Sequence[Row]]:
    open_content = ctx.vault.opener(context=CONTENT_CONTEXT)
    serial = count(1)
    async for cases in keyset_pages(lambda after: repository.search(session, f, after, PAGE_ROWS - 1), _keyset):
        yield [_row(next(serial), c, json.loads(open_content(c.content_sealed)), names, today, whole) for c in cases]


def _keyset(case: Case) -> tuple[dt.date, str]:
    return case.due_date or repository._FAR, case.id


def _applicant(content: dict[str, object], whole: bool) -> tuple[str | None, str | None]:
    """The applicant's (or head's) whole name, if shown whole, and identity number as this export shows it."""
    id_number = content.get("applicant_id_number")
    if not isinstance(id_number, str) or not id_number:
        return None, None
    members = content.get("members")
    name = next(
        (str(m.get("name")) for m in members if isinstance(m, dict) and m.get("id_number") == id_number),
        None,
    ) if isinstance(members, list) else None  # fmt: skip
    return (name if whole else None), id_number_cell(id_number, whole)


def _row(n: int, case: Case, content: dict[str, object], names: RegionNames, today: dt.date, whole: bool) -> Row:
    code = case.region_code
    whole_name, id_number = _applicant(content, whole)
    open_ = CaseStatus(case.status) in OPEN_STATUSES
    return (
        n,
        case.id,
        case.application_no,
        *names.place(code),
        case.household_id,
        word(CASE_KINDS, case.kind),
        word(TRIGGERS, case.trigger),
        program_name(case.program),
        whole_name or case.applicant_name_masked,
        id_number,
        case.member_count,
        word(CASE_STATUSES, case.status),
        case.opened_at.astimezone(CHINA_TZ).date(),
        case.due_date,
        "是" if open_ and case.due_date is not None and case.due_date < today else "否",
        word(OUTCOMES, case.proposed_outcome) or None,
        case.proposed_amount_fen,
        word(OUTCOMES, case.outcome) or None,
    )
