"""Finance's reads of payees' identity and account numbers: each one recorded before the data leaves (DOMAIN.md §9)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.disbursement.accounts.service import audit_read
from services.disbursement.context import Disbursement
from services.disbursement.rosters import repository as rosters
from services.disbursement.rosters.export import Payee, payees
from services.disbursement.rosters.models import LineItem, Roster, RosterLine


@dataclass(frozen=True)
class LinesRead:
    """A page of lines (and one more, which says there is a next page), with what the served ones show."""

    lines: list[RosterLine]
    payees: dict[str, Payee]
    items: dict[str, list[LineItem]]


async def read_lines(
    session: AsyncSession,
    ctx: Disbursement,
    who: Principal,
    roster: Roster,
    *,
    after_line_no: int | None,
    limit: int,
    request_id: str | None,
) -> LinesRead:
    lines = await rosters.lines_of(session, roster.id, after_line_no=after_line_no, limit=limit)
    served = lines[:limit]
    items = await rosters.items_of(session, [line.line_id for line in served])
    numbers = await payees(session, ctx, roster, [line.line_no for line in served])
    await audit_read(
        session,
        ctx,
        who,
        purpose="finance roster lines",
        accounts=len(served),
        roster_id=roster.id,
        request_id=request_id,
    )
    return LinesRead(lines, numbers, items)


async def start_export(
    session: AsyncSession, ctx: Disbursement, who: Principal, roster: Roster, *, request_id: str | None
) -> None:
    """Record the read of the whole roster and commit it: the audit row stands even if the client breaks off."""
    await audit_read(
        session,
        ctx,
        who,
        purpose="finance roster CSV",
        accounts=roster.line_count,
        roster_id=roster.id,
        request_id=request_id,
    )
    await session.commit()
