"""The applications' ledger (申请受理台账) as Excel: the rows of the application list
(`GET /api/v1/intake/applications`) with the same filters and order, a keyset page at a time.

The applicant's identity number and the bank account live only in the sealed content (models.py); each page opens its
applications' current versions in one query, takes those three values, and drops the rest.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Sequence
from itertools import count
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.events.intake import mask_account
from libs.contracts.ledger_words import APPLICATION_STATUSES, BANK_NAMES, CHANNELS, program_name, word
from libs.kernel.ledgers import PAGE_ROWS, id_number_cell, keyset_pages, name_cell
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import ACCOUNT, MEMBERS, OVERDUE, PLACE, PROGRAM, SERIAL, Column, Row, Sheet, day, person
from services.intake.application import repository as repo
from services.intake.application.models import Application, ApplicationVersion
from services.intake.application.schemas import ApplicationStatus
from services.intake.application.service import SEAL_CONTEXT
from services.intake.context import Intake

SHEET = Sheet(
    "救助申请受理台账",
    "applications",
    (
        SERIAL,
        Column("申请编号", width=22),
        *PLACE,
        PROGRAM,
        Column("申请方式", width=12),
        *person("申请人"),
        MEMBERS,
        Column("办理状态", width=12),
        day("受理日期"),
        day("办结期限"),
        OVERDUE,
        *ACCOUNT,
    ),
)


def _declared(content: dict[str, Any], whole: bool) -> tuple[str | None, str | None, str | None, str | None]:
    """The applicant's name and identity number and the account (bank, number), as this export shows them."""
    applicant = str(content.get("applicant_id_number") or "")
    name = next((str(m.get("name")) for m in content.get("members") or [] if m.get("id_number") == applicant), None)
    account = content.get("bank_account") or {}
    number = str(account.get("account_no") or "")
    return (
        name_cell(name, whole),
        id_number_cell(applicant or None, whole),
        word(BANK_NAMES, account.get("bank_code")) or None,
        (number if whole else mask_account(number)) if number else None,
    )


async def pages(
    session: AsyncSession, ctx: Intake, f: repo.ApplicationFilter, names: RegionNames, today: dt.date, *, whole: bool
) -> AsyncIterator[Sequence[Row]]:
    """The list in its own order, a page at a time; each page's content is opened, used and dropped."""
    open_content = ctx.vault.opener(context=SEAL_CONTEXT)
    serial = count(1)
    async for apps in keyset_pages(lambda after: repo.search(session, f, after, PAGE_ROWS - 1), _keyset):
        versions = tuple_(ApplicationVersion.application_id, ApplicationVersion.version)
        stmt = select(ApplicationVersion.application_id, ApplicationVersion.content_sealed).where(
            versions.in_([(a.id, a.version) for a in apps])
        )
        sealed = {r.application_id: r.content_sealed for r in await session.execute(stmt)}
        yield [_row(next(serial), a, json.loads(open_content(sealed[a.id])), names, today, whole) for a in apps]


def _keyset(app: Application) -> tuple[int, dt.date, str]:
    rank, due, last_id = repo.sort_key(app)
    return rank, dt.date.fromisoformat(due), last_id


def _row(n: int, a: Application, content: dict[str, Any], names: RegionNames, today: dt.date, whole: bool) -> Row:
    code = a.region_code
    name, id_number, bank, account = _declared(content, whole)
    overdue = a.status == ApplicationStatus.ACCEPTED.value and a.due_date is not None and a.due_date < today
    return (
        n,
        a.application_no,
        *names.place(code),
        program_name(a.program),
        word(CHANNELS, a.channel),
        name if whole else a.applicant_name_masked,
        id_number,
        a.member_count,
        word(APPLICATION_STATUSES, a.status),
        a.accepted_at.astimezone(CHINA_TZ).date() if a.accepted_at else None,
        a.due_date,
        "是" if overdue else "否",
        bank,
        account,
    )
