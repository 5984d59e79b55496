"""A household's payment file as staff see it (names masked), each part by the presenter of the module that owns it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from libs.contracts.id_number import mask_name
from libs.kernel.presenters import from_row
from services.disbursement.accounts.views import account_out
from services.disbursement.entitlements.models import Entitlement, ScheduleSegment
from services.disbursement.household.repository import HouseholdFile
from services.disbursement.household.schemas import EntitlementOut, HouseholdOut, SegmentOut
from services.disbursement.ledger.schedule import status_in
from services.disbursement.ledger.views import hold_out
from services.disbursement.months import month_containing, period_of
from services.disbursement.recoveries.views import recovery_outs
from services.disbursement.rosters.views import staff_line
from services.disbursement.views import yuan


def segment_out(s: ScheduleSegment) -> SegmentOut:
    return from_row(
        SegmentOut,
        s,
        first_period=period_of(s.first_month),
        last_period=period_of(s.last_month) if s.last_month else None,
        amount=yuan(s.due_fen),
    )


def entitlement_out(e: Entitlement, rows: Sequence[ScheduleSegment], month: dt.date) -> EntitlementOut:
    """`status` is the entitlement's in `month` (a gradual exit still paying reads `gradual_exit`), not merely the
    latest event's."""
    return from_row(
        EntitlementOut,
        e,
        status=status_in(rows, month, e.status),
        payee_name_masked=mask_name(e.payee_name),
        unsettled_from=period_of(e.dirty_from) if e.dirty_from else None,
        schedule=[segment_out(s) for s in rows],
    )


def household_out(f: HouseholdFile, today: dt.date) -> HouseholdOut:
    month = month_containing(today)
    return HouseholdOut(
        household_id=f.household_id,
        entitlements=[
            entitlement_out(e, [s for s in f.segments if s.entitlement_id == e.entitlement_id], month)
            for e in f.entitlements
        ],
        holds=[hold_out(h) for h in f.holds],
        account=account_out(f.account) if f.account else None,
        payments=[staff_line(line, f.items) for line in f.lines],
        recoveries=recovery_outs(f.recoveries, f.deducted),
    )
