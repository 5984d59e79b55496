from pathlib import Path

from libs.kernel.gauges import Backlog
from libs.kernel.service import ServiceDefinition, ServiceSchema
from libs.modules.work_calendar import calendar_router
from services.intake.application.router import router as applications
from services.intake.context import Intake
from services.intake.db import SCHEMA, Base, calendar_years, tables
from services.intake.documents.router import router as documents
from services.intake.lead.router import router as leads
from services.intake.local_figures.router import router as procedure_rules
from services.intake.statistics.router import router as statistics
from services.intake.subscriptions import subscriptions
from services.intake.warning.router import router as warnings

DEFINITION = ServiceDefinition(
    context_class=Intake,
    schema=ServiceSchema(Base.metadata, tables, Path(__file__).parent / "migrations" / "versions"),
    title="Jiuzhu intake: Applications and active discovery",
    routers=[
        applications,
        documents,
        leads,
        warnings,
        procedure_rules,
        statistics,
        calendar_router(SCHEMA, calendar_years),
    ],
    subscriptions=subscriptions,
    backlogs=(
        # Accepted applications past their due date (as the ledger marks them) and open leads past theirs, each by
        # its (status, due_date) index.
        Backlog(
            "overdue",
            "applications",
            "SELECT count(*), min(due_date)::timestamp AT TIME ZONE 'Asia/Shanghai' FROM intake.applications "
            "WHERE status = 'accepted' AND due_date < :today",
        ),
        Backlog(
            "overdue",
            "leads",
            "SELECT count(*), min(due_date)::timestamp AT TIME ZONE 'Asia/Shanghai' FROM intake.leads "
            "WHERE status = 'open' AND due_date < :today",
        ),
    ),
)
