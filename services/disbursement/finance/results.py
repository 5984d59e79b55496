"""Payment results from finance (CONTRACTS.md §3): idempotent per line, all or nothing per batch.

A repeat of what a line already says is `unchanged`; a different outcome for a reported line is a 409, an unknown
line or a line of another roster a 422, and in both cases nothing of the batch is applied. A temporary grant's payment
order takes results the same way; its line's outcome goes to casework (`grants.payments`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.disbursement import PaymentFailed
from libs.contracts.money import Money
from libs.contracts.programs import Program
from services.disbursement.accounts import service as accounts
from services.disbursement.context import Disbursement
from services.disbursement.entitlements.counties import county_of, touch
from services.disbursement.entitlements.models import Entitlement
from services.disbursement.finance.errors import ConflictingResults, ResultConflict, RosterReconciled, UnknownLine
from services.disbursement.finance.schemas import PaymentResult, ResultsApplied
from services.disbursement.grants import payments as grant_payments
from services.disbursement.months import period_of
from services.disbursement.recoveries import service as recoveries
from services.disbursement.recoveries.detection import detect_overpayments
from services.disbursement.rosters.models import LineItem, LineStatus, Roster, RosterLine, RosterStatus
from services.disbursement.rosters.service import mark_reported, reopen_lines

_SHOWN = 20  # lines named in an error body

_APPLY = text(
    """
    UPDATE disbursement.roster_lines l
       SET status = r.status, paid_at = r.paid_at, bank_txn_id = r.bank_txn_id,
           failure_reason = r.failure_reason, reported_at = :now
      FROM unnest(CAST(:ids AS text[]), CAST(:statuses AS text[]), CAST(:paid_at AS timestamptz[]),
                  CAST(:txns AS text[]), CAST(:reasons AS text[]))
           AS r(line_id, status, paid_at, bank_txn_id, failure_reason)
     WHERE l.line_id = r.line_id AND l.roster_id = :roster_id AND l.status = 'pending'
    RETURNING l.line_id, l.status, l.amount_fen, l.entitlement_id, l.household_id, l.region_code, l.program,
              l.period, l.grant_id, l.grant_attempt
    """
)


def _same(line: RosterLine, result: PaymentResult) -> bool:
    """The same outcome: the same status and, for a payment, the same bank transaction (a failure repeated with
    other words for its reason is still the same failure)."""
    if line.status != result.status:
        return False
    return result.status == "failed" or line.bank_txn_id == result.bank_txn_id


def _distinct(results: Sequence[PaymentResult]) -> list[PaymentResult]:
    seen: dict[str, PaymentResult] = {}
    clashing: list[str] = []
    for r in results:
        first = seen.setdefault(r.line_id, r)
        if first is not r and (first.status, first.bank_txn_id) != (r.status, r.bank_txn_id):
            clashing.append(r.line_id)
    if clashing:
        raise ConflictingResults("The batch gives different results for the same line", lines=clashing[:_SHOWN])
    return list(seen.values())


async def apply_results(
    session: AsyncSession, ctx: Disbursement, roster: Roster, results: Sequence[PaymentResult]
) -> ResultsApplied:
    if roster.status == RosterStatus.RECONCILED.value:
        raise RosterReconciled(f"Roster {roster.id} is reconciled; its results are closed")
    batch = _distinct(results)
    ids = [r.line_id for r in batch]
    lines = {
        line.line_id: line for line in await session.scalars(select(RosterLine).where(RosterLine.line_id.in_(ids)))
    }
    unknown = [i for i in ids if i not in lines or lines[i].roster_id != roster.id]
    if unknown:
        raise UnknownLine(f"{len(unknown)} line(s) are not lines of roster {roster.id}", lines=unknown[:_SHOWN])
    reported = [r for r in batch if lines[r.line_id].status != LineStatus.PENDING.value]
    conflicting = [r.line_id for r in reported if not _same(lines[r.line_id], r)]
    if conflicting:
        raise ResultConflict(
            f"{len(conflicting)} line(s) were already reported with a different outcome",
            lines=conflicting[:_SHOWN],
        )
    fresh = [r for r in batch if lines[r.line_id].status == LineStatus.PENDING.value]
    now = ctx.now()
    applied = (
        await session.execute(
            _APPLY,
            {
                "roster_id": roster.id,
                "now": now,
                "ids": [r.line_id for r in fresh],
                "statuses": [r.status for r in fresh],
                "paid_at": [r.paid_at for r in fresh],
                "txns": [r.bank_txn_id for r in fresh],
                "reasons": [r.failure_reason for r in fresh],
            },
        )
    ).all()
    paid = [row for row in applied if row.status == LineStatus.PAID.value]
    failed = [row for row in applied if row.status == LineStatus.FAILED.value]
    roster.paid_lines += len(paid)
    roster.paid_fen += sum(int(row.amount_fen) for row in paid)
    roster.failed_lines += len(failed)
    roster.failed_fen += sum(int(row.amount_fen) for row in failed)
    await mark_reported(session, roster)
    by_line = {r.line_id: r for r in fresh}
    # A temporary grant's line is one payment, not an entitlement's month: casework hears of it, nothing else moves.
    granted = [row for row in applied if row.grant_id is not None]
    if granted:
        await grant_payments.reported(session, ctx, roster, granted, by_line)
    failed = [row for row in failed if row.grant_id is None]
    paid = [row for row in paid if row.grant_id is None]
    if failed:
        await _failed(session, ctx, roster, failed, by_line)
    if paid:
        await _check_paid(session, ctx, roster, [row.entitlement_id for row in paid])
    return ResultsApplied(accepted=len(applied), unchanged=len(batch) - len(applied))


async def _failed(
    session: AsyncSession,
    ctx: Disbursement,
    roster: Roster,
    rows: Sequence[Row[Any]],
    results: dict[str, PaymentResult],
) -> None:
    """Each failed line: its account held until fixed, its months owed again, casework told (`payment-failed`)."""
    ids = [row.line_id for row in rows]
    await reopen_lines(session, ctx, line_ids=ids)  # its months are owed again
    for row in rows:
        reason = results[row.line_id].failure_reason or ""
        await accounts.mark_failed(session, ctx, row.household_id, county_of(row.region_code), reason)
        await ctx.publish(
            session,
            PaymentFailed(
                roster_id=roster.id,
                line_id=row.line_id,
                period=period_of(row.period),
                household_id=row.household_id,
                program=Program(row.program),
                amount=Money.from_fen(int(row.amount_fen)).to_str(),
                failure_reason=reason,
                failed_at=ctx.now(),
            ),
            subject=f"household/{row.household_id}",
            key=row.household_id,
        )
    await touch(session, ctx, {roster.region_code})
    deductions = select(LineItem.recovery_id).where(LineItem.line_id.in_(ids), LineItem.recovery_id.is_not(None))
    await recoveries.refresh(session, ctx, [r for r in (await session.scalars(deductions)).all() if r])


async def _check_paid(session: AsyncSession, ctx: Disbursement, roster: Roster, entitlement_ids: list[str]) -> None:
    """A line paid for an entitlement that changed after the roster was built (a death, a stop) may be an
    overpayment: those are checked now that the money is out."""
    changed = select(Entitlement.entitlement_id).where(
        Entitlement.entitlement_id.in_(entitlement_ids), Entitlement.changed_at >= roster.built_at
    )
    ids = list((await session.scalars(changed)).all())
    if await detect_overpayments(session, ctx, ids):
        await touch(session, ctx, {roster.region_code})  # a draft built before cannot miss the new deduction
