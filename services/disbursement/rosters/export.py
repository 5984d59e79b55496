"""A locked roster's CSV (CONTRACTS.md §3): UTF-8 with a BOM, a header row, the line columns in the contract's order,
`items` left out. Written once at lock, in sealed chunks of a fixed number of lines; the checksum is the SHA-256 of
exactly the bytes streamed. It is the only copy of the roster's identity and account numbers: the JSON pages read
their lines' chunks, so both forms always say the same."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT
from services.disbursement.context import EXPORT_CONTEXT, ID_NUMBER_CONTEXT, Disbursement
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
# The ledger as it was when the roster was built: locking refuses a roster whose county changed since.
_LINES = """
    SELECT l.line_id, l.line_no, l.household_id, l.payee_name, e.payee_id_sealed, l.bank_code, a.account_no_sealed,
           l.program, l.amount_fen
      FROM disbursement.roster_lines l
      JOIN disbursement.entitlements e ON e.entitlement_id = l.entitlement_id
      JOIN disbursement.bank_accounts a ON a.household_id = l.household_id
     WHERE l.roster_id = $1 ORDER BY l.line_no
"""
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


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"  # lines are never negative


def chunk_context(roster_id: str, chunk_no: int) -> str:
    # A chunk moved to another roster or position does not decrypt.
    return f"{EXPORT_CONTEXT}/{roster_id}/{chunk_no}"


async def write_export(session: AsyncSession, ctx: Disbursement, roster: Roster) -> Export:
    conn = await session.connection()
    raw = await conn.get_raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    open_id = ctx.vault.opener(context=ID_NUMBER_CONTEXT)
    open_account = ctx.vault.opener(context=BANK_ACCOUNT_SEAL_CONTEXT)
    per_chunk = ctx.settings.export_chunk_lines
    period = period_of(roster.period)
    digest = hashlib.sha256()
    size = 0
    chunk_no = 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    rows: list[tuple[object, ...]] = []

    async def flush() -> None:
        nonlocal size, chunk_no
        writer.writerows(rows)
        rows.clear()
        data = buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
        digest.update(data)
        size += len(data)
        sealed = ctx.vault.seal_bytes(data, context=chunk_context(roster.id, chunk_no))
        await driver.execute(_INSERT, roster.id, chunk_no, sealed)
        chunk_no += 1

    async for r in driver.cursor(_LINES, roster.id, prefetch=per_chunk):
        rows.append((r[0], r[1], r[2], r[3], open_id(r[4]), r[5], open_account(r[6]), r[7], period, _yuan(r[8])))
        if len(rows) >= per_chunk:
            await flush()
    await flush()
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
