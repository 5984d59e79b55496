"""The recipients' roll (花名册) as an Excel ledger: one row per household and program (低保、特困、边缘家庭…), with the
same filters and jurisdiction as the household list (`GET /api/v1/casework/households`) plus the program.

Read in keyset pages of `PAGE_ROWS` (household id, program), each page one query with the head of household and the
member count joined in, so a county of a million rows streams through `libs.kernel.xlsx` a page at a time. Identity
and account numbers are opened only for a whole export (`libs.kernel.ledgers.whole_numbers`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT
from libs.contracts.ledger_words import BANK_NAMES, ENTITLEMENT_STATUSES, program_name, word
from libs.kernel.ledgers import id_number_cell, name_cell
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import ACCOUNT, PLACE, SERIAL, Column, Kind, Ledger, Row, person
from services.casework.context import ID_NUMBER_CONTEXT, Casework
from services.casework.registry.models import Entitlement, Household, HouseholdMember
from services.casework.registry.repository import HouseholdFilter

PAGE_ROWS = 500

COLUMNS = (
    SERIAL,
    Column("家庭编号", width=20),
    *PLACE,
    *person("户主"),
    Column("家庭人口", Kind.INTEGER, 9),
    Column("救助类别", width=18),
    Column("保障状态", width=10),
    Column("月保障金额（元）", Kind.YUAN, 16),
    Column("享受起始月份", width=12),
    Column("下次复核日期", Kind.DATE, 13),
    *ACCOUNT,
)


def roll_name(program: str | None) -> str:
    """最低生活保障花名册, or 救助对象花名册 for every program."""
    return f"{program_name(program)}花名册" if program else "救助对象花名册"


def ledger(title: str, program: str | None) -> Ledger:
    return Ledger(sheet=roll_name(program), title=title, columns=COLUMNS)


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
    after: tuple[str, str] | None = None
    n = 0
    while True:
        rows = (await session.execute(_page_query(f, after, PAGE_ROWS))).all()
        if not rows:
            return
        page: list[Row] = []
        for r in rows:
            n += 1
            code = r.region_code
            page.append(
                (
                    n,
                    r.id,
                    names.name(code[:6]),
                    names.name(code[:9]) if len(code) >= 9 else None,
                    names.name(code) if len(code) == 12 else None,
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
            )
        after = (rows[-1].id, rows[-1].program)
        yield page
