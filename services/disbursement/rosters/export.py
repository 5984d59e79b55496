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

import csv
import hashlib
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.text import neutralise_cell
from libs.kernel.db import driver_of
from libs.kernel.snapshot_reader import snapshot_reader
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


# The ledger as it was when the roster was built: locking refuses a roster whose county changed since. Each row is
# the CSV row but for the payee's part, still sealed; the CRLF is Python's (COPY's text form would escape it). The
# last column says whether the line adds up to its amount and pays something (CONTRACTS.md §3): checked in the same
# pass, where a statement of its own read the million lines again (1.3 s, bench/RESULTS.md).
_LINES = f"""
    SELECT l.line_id || ',' || l.line_no || ',' || {csv_field("l.household_id")} || ','
               || {csv_field("l.payee_name")} || ',' AS head,
           coalesce(l.payee_sealed, e.export_sealed) AS payee,
           ',' || {csv_field("l.program")} || ',' || $2 || ',' || (l.amount_fen / 100) || '.'
               || lpad((l.amount_fen % 100)::text, 2, '0') AS tail,
           l.amount_fen > 0 AND l.amount_fen = l.regular_fen + coalesce(i.fen, 0) AS adds_up
      FROM disbursement.roster_lines l
      -- A temporary grant's line has no entitlement: its payee part is sealed on the line itself.
      LEFT JOIN disbursement.entitlements e ON e.entitlement_id = l.entitlement_id
      LEFT JOIN (SELECT line_id, sum(amount_fen)::bigint AS fen FROM disbursement.line_items
                  WHERE roster_id = $1 GROUP BY line_id) i ON i.line_id = l.line_id
     WHERE l.roster_id = $1 ORDER BY l.line_no
"""  # noqa: S608 - the f-string only inlines csv_field's fixed SQL; values are bound
_INSERT = "INSERT INTO disbursement.roster_exports (roster_id, chunk_no, body) VALUES ($1, $2, $3)"
# COPY's text form writes a backslash, and a tab, line break or other control character in a value, as a backslash
# escape; the columns are separated by tabs and the rows end with a line feed, so a line that does not add up ends
# with a tab, `f` and a line feed, and nothing else does (a tail ends with the amount's digits).
_DOES_NOT_ADD_UP = "\tf\n"
_ESCAPED = re.compile(r"\\(.)")
_UNESCAPE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}


@dataclass(frozen=True)
class Export:
    checksum: str  # "sha256:<hex>"
    size: int
    chunks: int
    chunk_lines: int
    not_adding_up: int  # lines whose items do not add up to their amount, or that pay nothing: none, or no lock


@dataclass(frozen=True)
class Payee:
    payee_id_number: str
    account_no: str


def chunk_context(roster_id: str, chunk_no: int) -> str:
    # A chunk moved to another roster or position does not decrypt.
    return f"{EXPORT_CONTEXT}/{roster_id}/{chunk_no}"


def _unescape(field: str) -> str:
    return _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(1)), field)


class _Chunks:
    """The CSV as COPY's rows arrive: each row's payee opened and the row completed, every `per_chunk` rows hashed,
    sealed and stored on the session's connection."""

    def __init__(self, ctx: Disbursement, roster_id: str, store: asyncpg.Connection) -> None:
        self._ctx, self._roster_id, self._store = ctx, roster_id, store
        self._open_payee = ctx.vault.opener(context=PAYEE_EXPORT_CONTEXT)
        self._per_chunk = ctx.settings.export_chunk_lines
        self._rows: list[str] = []
        self._partial = b""
        self._digest = hashlib.sha256()
        self._size = 0
        self._chunk_no = 0
        self._not_adding_up = 0

    async def take(self, data: bytes) -> None:
        """Some of COPY's output: whole rows, perhaps with the start of the next one."""
        data = self._partial + data
        end = data.rfind(b"\n") + 1
        self._partial = data[end:]
        body = data[:end].decode()
        lines = body.split("\n")
        lines.pop()  # after the last line feed
        self._not_adding_up += body.count(_DOES_NOT_ADD_UP)
        if "\\" in body:  # rare: a value with a backslash or a control character
            fields = [[_unescape(f) for f in line.split("\t")] for line in lines]
        else:
            fields = [line.split("\t") for line in lines]
        open_payee = self._open_payee
        self._rows.extend([neutralised(head + open_payee(payee) + tail + "\r\n") for head, payee, tail, _ in fields])
        while len(self._rows) >= self._per_chunk:
            await self._write(self._per_chunk)

    async def finish(self) -> Export:
        assert not self._partial, "COPY ended inside a row"
        if self._rows or self._chunk_no == 0:  # a roster without lines is a header alone
            await self._write(len(self._rows))
        return Export(
            checksum=f"sha256:{self._digest.hexdigest()}",
            size=self._size,
            chunks=self._chunk_no,
            chunk_lines=self._per_chunk,
            not_adding_up=self._not_adding_up,
        )

    async def _write(self, lines: int) -> None:
        text = (HEADER if self._chunk_no == 0 else "") + "".join(self._rows[:lines])
        del self._rows[:lines]
        data = text.encode()
        self._digest.update(data)
        self._size += len(data)
        sealed = self._ctx.vault.seal_bytes(data, context=chunk_context(self._roster_id, self._chunk_no))
        await self._store.execute(_INSERT, self._roster_id, self._chunk_no, sealed)
        self._chunk_no += 1


async def write_export(session: AsyncSession, ctx: Disbursement, roster: Roster) -> Export:
    """A roster's export, from lines committed before this transaction (a monthly roster is built, then locked).

    The rows are read beside the session, on its snapshot, while the session stores the chunks: one COPY, which
    PostgreSQL may plan in parallel (a cursor fetched in steps it may not), no round trip per step, and no row object
    per line in Python; a million-line lock took 0.80–0.96 of the time of the cursor it replaced (bench/RESULTS.md).
    """
    chunks = _Chunks(ctx, roster.id, await driver_of(await session.connection()))
    async with snapshot_reader(session, ctx.settings, purpose="roster export", work_mem="256MB") as reader:
        await reader.copy_from_query(_LINES, roster.id, period_of(roster.period), output=chunks.take, format="text")
    return await chunks.finish()


async def write_own_export(session: AsyncSession, ctx: Disbursement, roster: Roster) -> Export:
    """The export of a payment order whose lines this very transaction wrote, which no other connection sees: read
    on the session's own connection, and stored once read (an order has a line or a few)."""
    driver = await driver_of(await session.connection())
    received: list[bytes] = []

    async def receive(data: bytes) -> None:
        received.append(data)

    await driver.copy_from_query(_LINES, roster.id, period_of(roster.period), output=receive, format="text")
    chunks = _Chunks(ctx, roster.id, driver)
    await chunks.take(b"".join(received))
    return await chunks.finish()


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
