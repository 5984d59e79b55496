"""The payment deadline as staff see it (names and accounts masked, as on every staff line)."""

from __future__ import annotations

import datetime as dt

from libs.kernel.presenters import from_row
from services.disbursement.deadlines.models import DeadlineFigure
from services.disbursement.deadlines.schemas import DeadlineFiguresOut, LateLine, UnpaidRosterOut
from services.disbursement.deadlines.service import Deadline, Unpaid
from services.disbursement.months import period_of
from services.disbursement.rosters.models import LineItem, RosterLine
from services.disbursement.rosters.views import staff_line
from services.disbursement.views import yuan


def figures_out(row: DeadlineFigure) -> DeadlineFiguresOut:
    return from_row(DeadlineFiguresOut, row, figures_id=row.id, effective_from=period_of(row.effective_from))


def unpaid_out(u: Unpaid) -> UnpaidRosterOut:
    r = u.roster
    return UnpaidRosterOut(
        roster_id=r.id,
        region_code=r.region_code,
        period=period_of(r.period),
        status=r.status,
        paid_by=u.deadline.paid_by,
        line_count=r.line_count,
        total_amount=yuan(r.total_fen),
        late_lines=u.pending_lines + u.paid_late_lines,
        late_amount=yuan(u.pending_fen + u.paid_late_fen),
        pending_lines=u.pending_lines,
        pending_amount=yuan(u.pending_fen),
        paid_late_lines=u.paid_late_lines,
        paid_late_amount=yuan(u.paid_late_fen),
    )


def late_line(line: RosterLine, items: dict[str, list[LineItem]], deadline: Deadline, today: dt.date) -> LateLine:
    return LateLine(
        **staff_line(line, items).model_dump(),
        paid_by=deadline.paid_by,
        lateness=deadline.lateness(line),
        days_late=deadline.days_late(line, today),
    )
