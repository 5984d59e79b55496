"""Rosters and lines as county staff see them (account numbers and names masked)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from libs.contracts.id_number import mask_name
from libs.contracts.programs import PROGRAM_NAMES, Program
from libs.kernel.presenters import from_row
from services.disbursement.months import period_of
from services.disbursement.rosters.models import ItemKind, LineItem, OneOffBatch, Roster, RosterLine, RosterStatus
from services.disbursement.rosters.schemas import (
    FundingLetter,
    LateOut,
    LineItemOut,
    OneOffOut,
    ProgramTotals,
    RosterOut,
    StaffLine,
)
from services.disbursement.rosters.service import Lateness, days_late, submitted_on
from services.disbursement.views import yuan

_KINDS = ("regular", "arrears", "one_off", "recovery", "total")


def totals_out(t: dict[str, Any]) -> ProgramTotals:
    return ProgramTotals(lines=int(t.get("lines", 0)), **{k: yuan(int(t.get(k, 0))) for k in _KINDS})


def is_late(roster: Roster, today: dt.date) -> bool:
    if roster.status == RosterStatus.CANCELLED.value:
        return False
    return days_late(roster.due_date, submitted_on(roster), today) > 0


def roster_out(roster: Roster, *, today: dt.date, ledger_version: int | None) -> RosterOut:
    return from_row(
        RosterOut,
        roster,
        roster_id=roster.id,
        period=period_of(roster.period),
        total_amount=yuan(roster.total_fen),
        totals_by_program={p: totals_out(t) for p, t in sorted(roster.totals.items())},
        late=is_late(roster, today),
        outdated=roster.status == RosterStatus.DRAFT.value and ledger_version != roster.ledger_version,
        paid_amount=yuan(roster.paid_fen),
        failed_amount=yuan(roster.failed_fen),
    )


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


def staff_line(line: RosterLine, items: dict[str, list[LineItem]]) -> StaffLine:
    return from_row(
        StaffLine,
        line,
        period=period_of(line.period),
        payee_name_masked=mask_name(line.payee_name),
        amount=yuan(line.amount_fen),
        items=items_out(line, items),
    )


def funding_letter(roster: Roster, county_name: str) -> FundingLetter:
    grand: dict[str, Any] = {k: sum(int(t.get(k, 0)) for t in roster.totals.values()) for k in ("lines", *_KINDS)}
    period = period_of(roster.period)
    parts = [
        f"{PROGRAM_NAMES.get(Program(p), p)} {int(t['lines'])} 户次 {yuan(int(t['total']))} 元"
        for p, t in sorted(roster.totals.items())
    ]
    text = (
        f"关于拨付 {period} 社会救助资金的函: {county_name} 本月发放 {grand['lines']} 户次, "
        f"合计 {yuan(grand['total'])} 元 ({'; '.join(parts) or '无'}), 其中补发 {yuan(grand['arrears'])} 元, "
        f"一次性补贴 {yuan(grand['one_off'])} 元, 扣回 {yuan(-grand['recovery'])} 元。"
        f"花名表校验值 {roster.checksum or '(未锁定)'}。"
    )
    return from_row(
        FundingLetter,
        roster,
        roster_id=roster.id,
        region_name=county_name,
        period=period,
        programs={p: totals_out(t) for p, t in sorted(roster.totals.items())},
        total=totals_out(grand),
        text=text,
    )


def one_off_out(batch: OneOffBatch) -> OneOffOut:
    return from_row(OneOffOut, batch, batch_id=batch.id, period=period_of(batch.period), amount=yuan(batch.amount_fen))


def late_out(found: Lateness, period: str) -> LateOut:
    return from_row(LateOut, found, period=period)
