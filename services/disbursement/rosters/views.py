"""Rosters and lines as county staff see them (account numbers and names masked)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from libs.contracts.id_number import mask_name
from libs.contracts.programs import PROGRAM_NAMES, Program
from services.disbursement.finance.views import items_out, yuan
from services.disbursement.months import period_of
from services.disbursement.rosters.models import LineItem, OneOffBatch, Roster, RosterLine, RosterStatus
from services.disbursement.rosters.schemas import (
    FundingLetter,
    LateOut,
    OneOffOut,
    ProgramTotals,
    RosterOut,
    StaffLine,
)
from services.disbursement.rosters.service import Lateness, days_late, submitted_on

_KINDS = ("regular", "arrears", "one_off", "recovery", "total")


def totals_out(t: dict[str, Any]) -> ProgramTotals:
    return ProgramTotals(lines=int(t.get("lines", 0)), **{k: yuan(int(t.get(k, 0))) for k in _KINDS})


def is_late(roster: Roster, today: dt.date) -> bool:
    if roster.status == RosterStatus.CANCELLED.value:
        return False
    return days_late(roster.due_date, submitted_on(roster), today) > 0


def roster_out(roster: Roster, *, today: dt.date, ledger_version: int | None) -> RosterOut:
    return RosterOut(
        roster_id=roster.id,
        region_code=roster.region_code,
        period=period_of(roster.period),
        status=roster.status,
        line_count=roster.line_count,
        total_amount=yuan(roster.total_fen),
        totals_by_program={p: totals_out(t) for p, t in sorted(roster.totals.items())},
        held=roster.held,
        due_date=roster.due_date,
        late=is_late(roster, today),
        outdated=roster.status == RosterStatus.DRAFT.value and ledger_version != roster.ledger_version,
        checksum=roster.checksum,
        built_at=roster.built_at,
        built_by=roster.built_by,
        locked_at=roster.locked_at,
        locked_by=roster.locked_by,
        submitted_at=roster.submitted_at,
        submitted_by=roster.submitted_by,
        paid_lines=roster.paid_lines,
        paid_amount=yuan(roster.paid_fen),
        failed_lines=roster.failed_lines,
        failed_amount=yuan(roster.failed_fen),
        reconciled_at=roster.reconciled_at,
        reconciliation=roster.reconciliation,
        cancelled_at=roster.cancelled_at,
        cancel_reason=roster.cancel_reason,
    )


def staff_line(line: RosterLine, items: dict[str, list[LineItem]]) -> StaffLine:
    return StaffLine(
        line_id=line.line_id,
        line_no=line.line_no,
        household_id=line.household_id,
        region_code=line.region_code,
        program=Program(line.program),
        period=period_of(line.period),
        payee_name_masked=mask_name(line.payee_name),
        bank_code=line.bank_code,
        account_no_masked=line.account_no_masked,
        amount=yuan(line.amount_fen),
        items=items_out(line, items),
        status=line.status,
        paid_at=line.paid_at,
        bank_txn_id=line.bank_txn_id,
        failure_reason=line.failure_reason,
    )


def funding_letter(roster: Roster) -> FundingLetter:
    grand: dict[str, Any] = {k: sum(int(t.get(k, 0)) for t in roster.totals.values()) for k in ("lines", *_KINDS)}
    period = period_of(roster.period)
    parts = [
        f"{PROGRAM_NAMES.get(Program(p), p)} {int(t['lines'])} 户次 {yuan(int(t['total']))} 元"
        for p, t in sorted(roster.totals.items())
    ]
    text = (
        f"关于拨付 {period} 社会救助资金的函: 区县 {roster.region_code} 本月发放 {grand['lines']} 户次, "
        f"合计 {yuan(grand['total'])} 元 ({'; '.join(parts) or '无'}), 其中补发 {yuan(grand['arrears'])} 元, "
        f"一次性补贴 {yuan(grand['one_off'])} 元, 扣回 {yuan(-grand['recovery'])} 元。"
        f"花名表校验值 {roster.checksum or '(未锁定)'}。"
    )
    return FundingLetter(
        roster_id=roster.id,
        region_code=roster.region_code,
        period=period,
        status=roster.status,
        checksum=roster.checksum,
        due_date=roster.due_date,
        programs={p: totals_out(t) for p, t in sorted(roster.totals.items())},
        total=totals_out(grand),
        text=text,
    )


def one_off_out(batch: OneOffBatch) -> OneOffOut:
    return OneOffOut(
        batch_id=batch.id,
        name=batch.name,
        program=Program(batch.program),
        region_prefix=batch.region_prefix,
        period=period_of(batch.period),
        basis=batch.basis,
        amount=yuan(batch.amount_fen),
        created_at=batch.created_at,
        created_by=batch.created_by,
    )


def late_out(found: Lateness, period: str) -> LateOut:
    return LateOut(
        region_code=found.region_code,
        period=period,
        due_date=found.due_date,
        roster_id=found.roster_id,
        status=found.status,
        submitted_on=found.submitted_on,
        days_late=found.days_late,
    )
