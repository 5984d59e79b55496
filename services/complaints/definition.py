from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from libs.modules.work_calendar import calendar_router
from services.complaints.config import ComplaintsSettings
from services.complaints.context import Complaints
from services.complaints.db import SCHEMA, Base, calendar_years, tables
from services.complaints.hotline.router import router as hotline
from services.complaints.jobs import jobs
from services.complaints.local_figures.router import router as policies
from services.complaints.models import MODELS
from services.complaints.push.router import item_router as pushes
from services.complaints.push.router import router as platforms
from services.complaints.register.router import router as ledger
from services.complaints.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu complaints: Complaints and the 12345 hotline",
    settings_cls=ComplaintsSettings,
    context=Complaints.of,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    # Fixed paths before `/{complaint_id}`: the policies and platforms routers come first.
    routers=[
        hotline,
        policies,
        platforms,
        ledger,
        pushes,
        calendar_router(SCHEMA, calendar_years),
        diagnostics_router(SCHEMA, tables),
    ],
    subscriptions=subscriptions,
    jobs=jobs,
)
assert MODELS  # every table is registered on Base.metadata before migrations compare against it
