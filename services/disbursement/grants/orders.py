"""`temporary-grant-issued` → an off-cycle payment order (issue 20, seed 004 二(七)): a roster of kind `temporary` with
one line, locked and submitted in the consumer's transaction, because emergency money must not wait for a person to
press a button (the 3-working-day clock runs from discovery). Its CSV is sealed at once exactly as a monthly roster's
at lock (`rosters.export`), so finance reads it through the same API with the same checksum rule.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.grants import TemporaryGrantIssued
from libs.contracts.money import Money
from libs.contracts.programs import MONTHLY_CEILING_FEN, Program
from libs.kernel.ids import time_ordered_id
from services.disbursement.context import BANK_ACCOUNT_SEAL_CONTEXT, PAYEE_EXPORT_CONTEXT, Disbursement
from services.disbursement.entitlements.counties import county_of
from services.disbursement.grants.models import TemporaryGrant
from services.disbursement.months import month_containing
from services.disbursement.rosters.export import csv_cell, write_own_export
from services.disbursement.rosters.models import LineStatus, Roster, RosterKind, RosterLine, RosterStatus

SYSTEM = "disbursement"
# A payment deadline further than this from the issue is a typo of the year, not a policy (3 working days).
MAX_PAY_BY_DAYS = 60


class GrantRefused(ValueError):
    """An event disbursement will not pay: the handler raises it before writing anything, so the consumer parks the
    event in `dead_letters` for an operator (the message names the grant, never the payee)."""


def grant_fen(grant_id: str, amount: str) -> int:
    """The amount in fen, if a temporary grant could pay it (libs.contracts.programs' ceiling)."""
    fen = Money.from_str(amount).fen
    ceiling = MONTHLY_CEILING_FEN[Program.TEMPORARY]
    if fen <= 0 or fen > ceiling:
        raise GrantRefused(f"grant {grant_id}: amount {amount} is not between 0.01 and {Money.from_fen(ceiling)}")
    return fen


def _check_dates(e: TemporaryGrantIssued) -> None:
    discovered, issued = business_date(e.discovered_at), business_date(e.issued_at)
    if issued < discovered or not discovered <= e.pay_by <= issued + dt.timedelta(days=MAX_PAY_BY_DAYS):
        raise GrantRefused(
            f"grant {e.grant_id}: discovered {discovered}, issued {issued} and pay_by {e.pay_by} are out of order"
        )


async def grant_issued(session: AsyncSession, ctx: Disbursement, e: TemporaryGrantIssued) -> None:
    """Idempotent on (grant, attempt): a repeat makes nothing new. A new attempt is paid only once every earlier one
    failed, so a grant's money never goes out twice."""
    fen = grant_fen(e.grant_id, e.amount)
    _check_dates(e)
    earlier = list(
        (
            await session.scalars(select(TemporaryGrant).where(TemporaryGrant.grant_id == e.grant_id).with_for_update())
        ).all()
    )
    if any(g.attempt == e.attempt for g in earlier):
        return
    standing = [g.attempt for g in earlier if g.status != LineStatus.FAILED.value]
    if standing:
        raise GrantRefused(f"grant {e.grant_id}: attempt {e.attempt} while attempt {standing[0]} is not failed")
    await _order(session, ctx, e, fen)


async def _order(session: AsyncSession, ctx: Disbursement, e: TemporaryGrantIssued, fen: int) -> Roster:
    now = ctx.now()
    county = county_of(e.region_code)
    order_id = time_ordered_id()  # a roster's id, as a monthly roster's is
    line_id = f"{order_id}-0000001"
    account = e.payment_account
    payee_part = ",".join(
        (
            csv_cell(e.payee.id_number),
            csv_cell(account.bank_code),
            csv_cell(ctx.open(account.account_no_sealed, BANK_ACCOUNT_SEAL_CONTEXT)),
        )
    )
    total = {"lines": 1, "regular": fen, "arrears": 0, "one_off": 0, "recovery": 0, "total": fen}
    order = Roster(
        id=order_id,
        kind=RosterKind.TEMPORARY.value,
        region_code=county,
        # The month of the issue in Beijing time: the order's period in finance's list and its CSV rows.
        period=month_containing(business_date(e.issued_at)),
        status=RosterStatus.LOCKED.value,
        # The grant is not part of the county's monthly ledger: an order never makes a monthly draft outdated.
        ledger_version=0,
        line_count=1,
        total_fen=fen,
        totals={Program.TEMPORARY.value: total},
        held={},
        due_date=e.pay_by,
        built_at=now,
        built_by=SYSTEM,
        paid_lines=0,
        paid_fen=0,
        failed_lines=0,
        failed_fen=0,
    )
    session.add(order)
    session.add(
        RosterLine(
            line_id=line_id,
            roster_id=order_id,
            line_no=1,
            period=order.period,
            household_id=e.household_id or "",
            entitlement_id=None,
            grant_id=e.grant_id,
            grant_attempt=e.attempt,
            program=Program.TEMPORARY.value,
            region_code=e.region_code,
            payee_name=e.payee.name,
            bank_code=account.bank_code,
            account_no_masked=account.account_no_masked,
            payee_sealed=ctx.seal(payee_part, PAYEE_EXPORT_CONTEXT),
            regular_fen=fen,
            amount_fen=fen,
            status=LineStatus.PENDING.value,
        )
    )
    session.add(
        TemporaryGrant(
            grant_id=e.grant_id,
            attempt=e.attempt,
            kind=e.kind.value,
            region_code=e.region_code,
            county_code=county,
            household_id=e.household_id,
            case_id=e.case_id,
            payee_hash=ctx.hash(e.payee.id_number),
            amount_fen=fen,
            discovered_at=e.discovered_at,
            pay_by=e.pay_by,
            issued_at=e.issued_at,
            order_id=order_id,
            line_id=line_id,
            status=LineStatus.PENDING.value,
            created_at=now,
        )
    )
    await session.flush()
    export = await write_own_export(session, ctx, order)
    assert not export.not_adding_up, f"payment order {order.id} does not add up"  # its one line is its amount
    order.checksum, order.export_bytes, order.export_chunks = export.checksum, export.size, export.chunks
    order.export_chunk_lines = export.chunk_lines
    order.locked_at, order.locked_by = now, SYSTEM
    order.status = RosterStatus.SUBMITTED.value
    order.submitted_at, order.submitted_by = now, SYSTEM
    await session.flush()
    return order
