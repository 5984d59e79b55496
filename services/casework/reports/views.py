"""Village reports as the API shows them: the filed row, with how many households it names and how many changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from libs.kernel.presenters import from_row
from services.casework.reports.models import VillageReport
from services.casework.reports.schemas import EntryOut, ReportOut, ReportSummary


def report_summary(report: VillageReport, households: int, changed: int) -> ReportSummary:
    return from_row(ReportSummary, report, households=households, changed=changed)


def report_out(report: VillageReport, entries: Sequence[EntryOut], due_date: dt.date) -> ReportOut:
    """The report with its entries (their details already opened)."""
    return from_row(
        ReportOut,
        report,
        households=len(entries),
        changed=sum(1 for e in entries if e.changes),
        due_date=due_date,
        entries=list(entries),
    )
