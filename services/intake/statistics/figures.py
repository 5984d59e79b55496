"""What each of intake's figures counts: a condition on the application or lead row (labels in
`libs.contracts.statistics.intake`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.casework import CaseOutcome
from libs.contracts.programs import Program
from libs.contracts.statistics.intake import CHANNELS
from libs.modules.figures_by_region import Counts, Window, count_by_child, merged
from services.intake.application.models import Application
from services.intake.lead.models import Lead
from services.intake.lead.schemas import LeadStatus

Figures = list[tuple[str, ColumnElement[bool]]]


def _decision_day() -> ColumnElement[object]:
    # The statutory time is counted in China's calendar days: the decision's local date against the due date.
    return func.date(func.timezone("Asia/Shanghai", Application.decided_at))


def application_figures(window: Window) -> Figures:
    a = Application
    received = window.during(a.submitted_at)
    decided = window.during(a.decided_at)
    figures: Figures = [("received", received)]
    figures += [(f"received_channel_{key}", and_(received, a.channel == key)) for key in CHANNELS]
    figures += [(f"received_program_{p.value}", and_(received, a.program == p.value)) for p in Program]
    figures += [
        ("accepted", window.during(a.accepted_at)),
        ("returned", window.during(a.returned_at)),
        ("withdrawn", window.during(a.withdrawn_at)),
        ("approved", and_(decided, a.decision_outcome == CaseOutcome.APPROVED.value)),
        ("refused", and_(decided, a.decision_outcome == CaseOutcome.REJECTED.value)),
        ("decided_on_time", and_(decided, _decision_day() <= a.due_date)),
        ("decided_late", and_(decided, _decision_day() > a.due_date)),
        (
            "open_overdue",
            and_(
                a.accepted_at < window.as_of,
                window.not_yet(a.decided_at),
                window.not_yet(a.withdrawn_at),
                a.due_date < window.as_of_day,
            ),
        ),
    ]
    return figures


def lead_figures(window: Window) -> Figures:
    return [
        ("leads_raised", window.during(Lead.created_at)),
        (
            "leads_to_applications",
            and_(Lead.status == LeadStatus.APPLICATION_OPENED.value, window.during(Lead.ended_at)),
        ),
    ]


async def intake_counts(session: AsyncSession, window: Window) -> Counts:
    applications = application_figures(window)
    leads = lead_figures(window)
    return merged(
        await count_by_child(
            session, window, Application.region_code, or_(*(c for _, c in applications)), applications
        ),
        await count_by_child(session, window, Lead.region_code, or_(*(c for _, c in leads)), leads),
    )
