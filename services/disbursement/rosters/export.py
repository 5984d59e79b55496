"""A locked roster's CSV (CONTRACTS.md §3): UTF-8 with a BOM, a header row, the line columns in the contract's order,
`items` left out. Written once at lock, in sealed chunks of a fixed number of lines; the checksum is the SHA-256 of
exactly the bytes streamed. It is the only copy of the roster's identity and account numbers: the JSON pages read
their lines' chunks, so both forms always say the same.

A million lines must lock in seconds: PostgreSQL writes each row's clear parts, quoted as the csv module would
(RFC 4180, fields quoted only when they hold a comma, a quote or a line break), and Python opens one sealed value per
row, the payee's part (`Entitlement.export_sealed`, or a temporary grant's `RosterLine.payee_sealed`).

No text cell reaches finance's spreadsheet as a formula (CONTRACTS.md §3, OWASP CSV injection): a cell that would
begin with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'` (`neutralise_cell`), whatever got into the
ledger (names are refused at entry, but a row may predate that). One scan of the row finds the rare row that needs it.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.text import neutralise_cell
from services.disbursement.context import EXPORT_CONTEXT, PAYEE_EXPORT_CONTEXT, Disbursement
from services.disbursement.months import period_of
from services.disbursement.rosters.models import Roster, RosterExport

COLUMNS = (
    "line_id",
    "line_no",
    "household_id",
    "payee_name",
    "payee_id_number",
    "bank_code",
    "account_no",
    "program",
    "period",
    "amount",
)
HEADER = "\ufeff" + ",".join(COLUMNS) + "\r\n"
_NUMBERS = frozenset({COLUMNS.index("line_no"), COLUMNS.index("amount")})
# A cell begins a row or follows a comma, perhaps inside quotes; a comma inside a quoted cell may match too, which
# only costs that row a closer look. (A search for a comma first is five times faster than one for `^|,`: a million
# rows in 0.3 s.)
_STARTS = ("=", "+", "-", "@", "\t", "\r", '"')
_FORMULA_AFTER_COMMA = re.compile(r',"?[=+\-@\t\r]')
_QUOTED = re.compile('[,"\r\n]')


def csv_field(column: str) -> str:
    """SQL for `column` as one CSV field: quoted, with quotes doubled, only when it needs to be."""
    return (
        f"CASE WHEN translate({column}, E',\"\\r\\n', '') = {column} THEN {column} "
        f"ELSE '\"' || replace({column}, '\"', '\"\"') || '\"' END"
    )


def csv_cell(value: str) -> str:
    """One CSV field as `csv_field` writes it: quoted, with quotes doubled, only when it needs to be."""
    return '"' + value.replace('"', '""') + '"' if _QUOTED.search(value) else value


def neutralised(row: str) -> str:
    """One CSV row (ending CRLF) with every text cell that could start a formula neutralised; the numbers (line_no,
    amount) are never negative and stay as they are."""
    if not row.startswith(_STARTS) and _FORMULA_AFTER_COMMA.search(row) is None:
        return row
    cells = next(csv.reader(io.StringIO(row, newline="")))
    return ",".join(c if i in _NUMBERS else csv_cell(neutralise_cell(c)) for i, c in enumerate(cells)) + "\r\n"


# The ledger as it was when the roster was built: locking refuses a roster whose county changed since.
_LINES = f"""
    SELECT l.line_id || ',' || l.line_no || ',' || {csv_field("l.household_id")} || ','
               || {csv_field("l.payee_name")} || ',' AS head,
           coalesce(l.payee_sealed, e.export_sealed) AS payee,
           ',' || {csv_field("l.program")} || ',' || $2 || ',' || (l.amount_fen / 100) || '.'
               || lpad((l.amount_fen % 100)::text, 2, '0') || E'\\r\\n' AS tail
      FROM disbursement.roster_lines l
      -- A temporary grant's line has no entitlement: its payee part is sealed on the line itself.
      LEFT JOIN disbursement.entitlements e ON e.entitlement_id = l.entitlement_id
     WHERE l.roster_id = $1 ORDER BY l.line_no
"""  # noqa: S608 - the f-string only inlines csv_field's fixed SQL; values are bound
_INSERT = "INSERT INTO disbursement.roster_exports (roster_id, chunk_no, body) VALUES ($1, $2, $3)"


@dataclass(frozen=True)
class Export:
    checksum: str  # "sha256:<hex>"
    size: int
    chunks: int
    chunk_lines: int


@dataclass(frozen=True)
class Payee:
    payee_id_number: str
    account_no: str


def chunk_context(roster_id: str, chunk_no: int) -> str:
    # A chunk moved to another roster or position does not decrypt.
    return f"{EXPORT_CONTEXT}/{roster_id}/{chunk_no}"


async def write_export(session: AsyncSession, ctx: Disbursement, roster: Roster) -> Export:
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    open_payee = ctx.vault.opener(context=PAYEE_EXPORT_CONTEXT)
    per_chunk = ctx.settings.export_chunk_lines
    digest = hashlib.sha256()
    size = 0
    chunk_no = 0

    async def write(text: str) -> None:
        nonlocal size, chunk_no
        data = text.encode()
        digest.update(data)
        size += len(data)
        sealed = ctx.vault.seal_bytes(data, context=chunk_context(roster.id, chunk_no))
        await driver.execute(_INSERT, roster.id, chunk_no, sealed)
        chunk_no += 1

    cursor = await driver.cursor(_LINES, roster.id, period_of(roster.period))
    batch = await cursor.fetch(per_chunk)
    first = HEADER
    while batch:
        # The next chunk's rows are on their way while this one is opened and written.
        following = asyncio.ensure_future(cursor.fetch(per_chunk))
        await asyncio.sleep(0)
        text = first + "".join([neutralised(head + open_payee(payee) + tail) for head, payee, tail in batch])
        first = ""
        batch = await following
        await write(text)
    if chunk_no == 0:  # a roster without lines is a header alone
        await write(HEADER)
    return Export(checksum=f"sha256:{digest.hexdigest()}", size=size, chunks=chunk_no, chunk_lines=per_chunk)


async def stream_export(ctx: Disbursement, roster_id: str, chunks: int) -> AsyncIterator[bytes]:
    """The stored bytes, one chunk in memory at a time, each read in its own short transaction."""
    for chunk_no in range(chunks):
        async with ctx.sessions() as session:
            body = await session.scalar(
                select(RosterExport.body).where(RosterExport.roster_id == roster_id, RosterExport.chunk_no == chunk_no)
            )
        assert body is not None, f"roster {roster_id} lacks chunk {chunk_no}"
        yield ctx.vault.open_bytes(body, context=chunk_context(roster_id, chunk_no))


async def payees(session: AsyncSession, ctx: Disbursement, roster: Roster, line_nos: list[int]) -> dict[str, Payee]:
    """The identity and account numbers of some lines (a JSON page), from the chunks that hold them."""
    assert roster.export_chunk_lines is not None
    chunk_nos = sorted({(n - 1) // roster.export_chunk_lines for n in line_nos})
    found: dict[str, Payee] = {}
    if not chunk_nos:
        return found
    stmt = select(RosterExport.chunk_no, RosterExport.body).where(
        RosterExport.roster_id == roster.id, RosterExport.chunk_no.in_(chunk_nos)
    )
    for chunk_no, body in (await session.execute(stmt)).all():
        text_ = ctx.vault.open_bytes(body, context=chunk_context(roster.id, chunk_no)).decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text_)):
            if row and row[0] != COLUMNS[0]:
                found[row[0]] = Payee(payee_id_number=row[4], account_no=row[6])
    return found
