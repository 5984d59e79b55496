from pathlib import Path

from libs.kernel.gauges import Backlog
from libs.kernel.service import ServiceDefinition, ServiceSchema
from libs.modules.work_calendar import calendar_router
from services.complaints.context import Complaints
from services.complaints.db import SCHEMA, Base, calendar_years, tables
from services.complaints.hotline.router import router as hotline
from services.complaints.jobs import jobs
from services.complaints.local_figures.router import router as policies
from services.complaints.models import MODELS
from services.complaints.push.router import item_router as pushes
from services.complaints.push.router import router as platforms
from services.complaints.register.router import router as register
from services.complaints.statistics.router import router as statistics
from services.complaints.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    context_class=Complaints,
    schema=ServiceSchema(Base.metadata, tables, Path(__file__).parent / "migrations" / "versions"),
    title="Jiuzhu complaints: Complaints and the 12345 hotline",
    # Fixed paths before `/{complaint_id}`: the policies, platforms and statistics routers come first.
    routers=[hotline, policies, platforms, statistics, register, pushes, calendar_router(SCHEMA, calendar_years)],
    subscriptions=subscriptions,
    jobs=jobs,
    backlogs=(
        # Both read partial indexes: ix_result_deliveries_pending, ix_complaints_open_due.
        Backlog(
            "pending",
            "result_deliveries",
            "SELECT count(*), min(created_at) FROM complaints.result_deliveries WHERE delivered_at IS NULL",
        ),
        Backlog(
            "overdue",
            "complaints",
            "SELECT count(*), min(due_at) FROM complaints.complaints "
            "WHERE status IN ('received', 'assigned', 'investigating') AND due_at < :now",
        ),
    ),
)
assert MODELS  # every table is registered on Base.metadata before migrations compare against it
