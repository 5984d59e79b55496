"""The recipients' roll (花名册) as an Excel ledger: one row per household and program (低保、特困、边缘家庭…), with the
same filters and jurisdiction as the household list (`GET /api/v1/casework/households`) plus the program.

Read in keyset pages (household id, program; `libs.kernel.ledgers.keyset_pages`), each page one query with the head of
household and the member count joined in, so a county of a million rows streams through `libs.kernel.xlsx` a page at a
time. Identity and account numbers are opened only for a whole export (`libs.kernel.ledgers.whole_numbers`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from sqlalchemy import Row as Result
from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT
from libs.contracts.ledger_words import BANK_NAMES, ENTITLEMENT_STATUSES, program_name, word
from libs.kernel.ledgers import PAGE_ROWS, id_number_cell, keyset_pages, name_cell
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import ACCOUNT, HOUSEHOLD, MEMBERS, PLACE, PROGRAM, SERIAL, Column, Kind, Row, Sheet, person
from services.casework.context import ID_NUMBER_CONTEXT, Casework
from services.casework.registry.models import Entitlement, Household, HouseholdMember
from services.casework.registry.repository import HouseholdFilter

COLUMNS = (
    SERIAL,
    HOUSEHOLD,
    *PLACE,
    *person("户主"),
    MEMBERS,
    PROGRAM,
    Column("保障状态", width=10),
    Column("月保障金额（元）", Kind.YUAN, 16),
    Column("享受起始月份", width=12),
    Column("下次复核日期", Kind.DATE, 13),
    *ACCOUNT,
)


def roll_name(program: str | None) -> str:
    """最低生活保障花名册, or 救助对象花名册 for every program."""
    return f"{program_name(program)}花名册" if program else "救助对象花名册"


def sheet(program: str | None) -> Sheet:
    return Sheet(roll_name(program), "households", COLUMNS)


Opener = Callable[[str], str]


@dataclass(frozen=True)
class RollFilter:
    households: HouseholdFilter
    program: str | None = None


def _page_query(f: RollFilter, after: tuple[str, str] | None, limit: int) -> Select[*tuple[Any, ...]]:
    head = HouseholdMember.__table__.alias("head")
    members = (
        select(func.count())
        .where(HouseholdMember.household_id == Household.id, HouseholdMember.left_at.is_(None))
        .correlate(Household)
        .scalar_subquery()
    )
    stmt = (
        select(
            Household.id,
            Household.region_code,
            Household.bank_code,
            Household.account_no_masked,
            Household.account_no_sealed,
            Entitlement.program,
            Entitlement.status,
            Entitlement.monthly_amount_fen,
            Entitlement.effective_from,
            Entitlement.next_review_date,
            head.c.name,
            head.c.id_number_sealed,
            members.label("member_count"),
        )
        .join(Entitlement, Entitlement.household_id == Household.id)
        .outerjoin(
            head,
            and_(
                head.c.household_id == Household.id, head.c.person_hash == Household.head_hash, head.c.left_at.is_(None)
            ),
        )
        .where(Household.region_code.startswith(f.households.region_prefix, autoescape=True))
    )
    h = f.households
    if h.status is not None:
        stmt = stmt.where(Household.status == h.status)
    if h.person_hash is not None:
        stmt = stmt.where(
            Household.id.in_(
                select(HouseholdMember.household_id).where(
                    HouseholdMember.person_hash == h.person_hash, HouseholdMember.left_at.is_(None)
                )
            )
        )
    if h.member_name is not None:
        stmt = stmt.where(
            Household.id.in_(
                select(HouseholdMember.household_id).where(
                    HouseholdMember.name == h.member_name, HouseholdMember.left_at.is_(None)
                )
            )
        )
    if f.program is not None:
        stmt = stmt.where(Entitlement.program == f.program)
    if after is not None:
        stmt = stmt.where(tuple_(Household.id, Entitlement.program) > tuple_(*after))
    return stmt.order_by(Household.id, Entitlement.program).limit(limit)


async def pages(
    session: AsyncSession, ctx: Casework, f: RollFilter, names: RegionNames, *, whole: bool
) -> AsyncIterator[Sequence[Row]]:
    """The roll a page at a time, in household order; each page's rows are built and handed on, then dropped."""
    open_id = ctx.vault.opener(context=ID_NUMBER_CONTEXT)
    open_account = ctx.vault.opener(context=BANK_ACCOUNT_SEAL_CONTEXT)
    serial = count(1)

    async def read(after: tuple[str, str] | None) -> Sequence[Result[Any]]:
        return (await session.execute(_page_query(f, after, PAGE_ROWS))).all()

    async for rows in keyset_pages(read, lambda r: (r.id, r.program)):
        yield [_row(next(serial), r, names, open_id, open_account, whole) for r in rows]


def _row(n: int, r: Result[Any], names: RegionNames, open_id: Opener, open_account: Opener, whole: bool) -> Row:
    return (
        n,
        r.id,
        *names.place(r.region_code),
        name_cell(r.name, whole),
        id_number_cell(open_id(r.id_number_sealed) if r.id_number_sealed else None, whole),
        int(r.member_count),
        program_name(r.program),
        word(ENTITLEMENT_STATUSES, r.status),
        int(r.monthly_amount_fen),
        r.effective_from,
        r.next_review_date if isinstance(r.next_review_date, dt.date) else None,
        word(BANK_NAMES, r.bank_code),
        open_account(r.account_no_sealed) if whole and r.account_no_sealed else r.account_no_masked,
    )
