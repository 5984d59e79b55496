"""Rosters and lines as the finance contract shows them (CONTRACTS.md §3)."""

from __future__ import annotations

from libs.kernel.audit_note import AUDIT_NOTE_HEADER
from libs.kernel.pagination import Page, page_of
from libs.kernel.presenters import from_row
from services.disbursement.finance.schemas import FinanceLine, FinanceRoster
from services.disbursement.finance.service import LinesRead
from services.disbursement.months import period_of
from services.disbursement.rosters.export import Payee
from services.disbursement.rosters.models import LineItem, Roster, RosterLine
from services.disbursement.rosters.views import items_out
from services.disbursement.views import yuan


def period(roster: Roster) -> str:
    return period_of(roster.period)


def finance_roster(roster: Roster) -> FinanceRoster:
    return from_row(
        FinanceRoster,
        roster,
        roster_id=roster.id,
        period=period(roster),
        total_amount=yuan(roster.total_fen),
        totals_by_program={program: yuan(int(t["total"])) for program, t in sorted(roster.totals.items())},
        checksum=roster.checksum or "",
    )


def finance_line(line: RosterLine, payee: Payee, items: dict[str, list[LineItem]]) -> FinanceLine:
    return from_row(
        FinanceLine,
        line,
        payee_id_number=payee.payee_id_number,
        account_no=payee.account_no,
        period=period_of(line.period),
        amount=yuan(line.amount_fen),
        items=items_out(line, items),
    )


def lines_page(read: LinesRead, limit: int) -> Page[FinanceLine]:
    return page_of(
        read.lines,
        limit,
        lambda line: (line.line_no,),
        lambda line: finance_line(line, read.payees[line.line_id], read.items),
    )


def export_headers(roster: Roster) -> dict[str, str]:
    """The CSV's length and checksum up front, so finance can check what it received; the audit note names it."""
    assert roster.checksum is not None
    return {
        "Content-Length": str(roster.export_bytes),
        "Content-Disposition": f'attachment; filename="roster-{roster.region_code}-{period(roster)}.csv"',
        "X-Checksum": roster.checksum,
        "ETag": f'"{roster.checksum}"',
        AUDIT_NOTE_HEADER.decode(): f"roster.exported roster/{roster.id}",
    }
