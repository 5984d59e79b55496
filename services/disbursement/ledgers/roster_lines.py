"""A roster's lines (社会救助资金发放花名册) as an Excel ledger for the county's own checks and records: the lines of
`GET /rosters/{id}/lines` with its filters, in line order, a keyset page at a time.

The payee's identity number and whole account number exist only in the roster's sealed export, written at lock (the
one copy finance reads, export.py); so a locked roster's ledger takes them from there, page by page (`payees`), and a
draft's leaves the identity number out and the account masked, as the lines hold it. Whole numbers (a county officer,
`libs.kernel.ledgers`) are therefore for a locked roster only, and are recorded as finance's reads are (`audit_read`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ
from libs.contracts.ledger_words import BANK_NAMES, LINE_STATUSES, program_name, word
from libs.kernel.ledgers import PAGE_ROWS, id_number_cell, keyset_pages, name_cell
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import ACCOUNT, HOUSEHOLD, PLACE, PROGRAM, SERIAL, Column, Kind, Row, Sheet, day, person
from services.disbursement.context import Disbursement
from services.disbursement.rosters import repository
from services.disbursement.rosters.export import Payee, payees
from services.disbursement.rosters.models import Roster, RosterLine

SHEET = Sheet(
    "社会救助资金发放花名册",
    "roster",
    (
        SERIAL,
        HOUSEHOLD,
        *PLACE,
        *person("收款人", named=False),
        *ACCOUNT,
        PROGRAM,
        Column("发放月份", width=10),
        Column("当月救助金（元）", Kind.YUAN, 15),
        Column("发放金额（元）", Kind.YUAN, 15),
        Column("发放状态", width=10),
        day("发放日期"),
        Column("失败原因", width=24),
    ),
)


@dataclass
class Tally:
    """How many lines went out, for the audit of a whole export."""

    lines: int = 0


async def pages(
    session: AsyncSession,
    ctx: Disbursement,
    roster: Roster,
    where: repository.LineFilter,
    names: RegionNames,
    tally: Tally,
    *,
    whole: bool,
) -> AsyncIterator[Sequence[Row]]:
    """The lines in line order, a page at a time, each with its payees from the sealed export (if locked)."""
    sealed = roster.export_chunk_lines is not None
    # A page the size of an export chunk reads each chunk once.
    size = roster.export_chunk_lines or PAGE_ROWS

    async def read(after: int | None) -> list[RosterLine]:
        return await repository.lines_of(session, roster.id, after_line_no=after, limit=size - 1, where=where)

    async for lines in keyset_pages(read, lambda line: line.line_no):
        found = await payees(session, ctx, roster, [line.line_no for line in lines]) if sealed else {}
        tally.lines += len(lines)
        yield [_row(line, found.get(line.line_id), names, whole) for line in lines]


def _row(line: RosterLine, payee: Payee | None, names: RegionNames, whole: bool) -> Row:
    account = payee.account_no if payee is not None else None
    return (
        line.line_no,
        line.household_id,
        *names.place(line.region_code),
        name_cell(line.payee_name, whole),
        id_number_cell(payee.payee_id_number if payee is not None else None, whole),
        word(BANK_NAMES, line.bank_code),
        account if whole and account else line.account_no_masked,
        program_name(line.program),
        f"{line.period.year}年{line.period.month}月",
        line.regular_fen,
        line.amount_fen,
        word(LINE_STATUSES, line.status),
        line.paid_at.astimezone(CHINA_TZ).date() if line.paid_at is not None else None,
        line.failure_reason,
    )
