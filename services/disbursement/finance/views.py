"""Rosters and lines as the finance contract shows them (CONTRACTS.md §3)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.money import Money
from libs.contracts.programs import PROGRAM_NAMES, Program
from services.disbursement.finance.schemas import FinanceLine, FinanceRoster, LineItemOut
from services.disbursement.months import period_of
from services.disbursement.rosters.export import Payee
from services.disbursement.rosters.models import ItemKind, LineItem, Roster, RosterLine


def yuan(fen: int) -> str:
    return Money.from_fen(fen).to_str()


def period(roster: Roster) -> str:
    return period_of(roster.period)


def finance_roster(roster: Roster) -> FinanceRoster:
    return FinanceRoster(
        roster_id=roster.id,
        period=period(roster),
        region_code=roster.region_code,
        status=roster.status,
        line_count=roster.line_count,
        total_amount=yuan(roster.total_fen),
        totals_by_program={program: yuan(int(t["total"])) for program, t in sorted(roster.totals.items())},
        checksum=roster.checksum or "",
        submitted_at=roster.submitted_at,
    )


async def items_of(session: AsyncSession, line_ids: Sequence[str]) -> dict[str, list[LineItem]]:
    found: dict[str, list[LineItem]] = defaultdict(list)
    if line_ids:
        stmt = select(LineItem).where(LineItem.line_id.in_(line_ids)).order_by(LineItem.id)
        for item in await session.scalars(stmt):
            found[item.line_id].append(item)
    return found


def items_out(line: RosterLine, items: dict[str, list[LineItem]]) -> list[LineItemOut]:
    """The regular month first, then arrears, one-offs and deductions; they add up to the line's amount."""
    out: list[LineItemOut] = []
    if line.regular_fen:
        name = PROGRAM_NAMES.get(Program(line.program), line.program)
        out.append(LineItemOut(kind="regular", amount=yuan(line.regular_fen), note=f"{period_of(line.period)} {name}"))
    order = {ItemKind.ARREARS.value: 0, ItemKind.ONE_OFF.value: 1, ItemKind.RECOVERY.value: 2}
    for item in sorted(items.get(line.line_id, []), key=lambda i: (order.get(i.kind, 3), i.month or line.period, i.id)):
        out.append(LineItemOut(kind=item.kind, amount=yuan(item.amount_fen), note=item.note))
    return out


def finance_line(line: RosterLine, payee: Payee, items: dict[str, list[LineItem]]) -> FinanceLine:
    return FinanceLine(
        line_id=line.line_id,
        line_no=line.line_no,
        household_id=line.household_id,
        payee_name=line.payee_name,
        payee_id_number=payee.payee_id_number,
        bank_code=line.bank_code,
        account_no=payee.account_no,
        program=Program(line.program),
        period=period_of(line.period),
        amount=yuan(line.amount_fen),
        items=items_out(line, items),
    )
