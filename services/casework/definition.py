from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from libs.modules.work_calendar import calendar_router
from services.casework import jobs
from services.casework.case.close_relatives_router import router as relatives
from services.casework.case.posting_router import router as postings
from services.casework.case.router import router as cases
from services.casework.config import CaseworkSettings
from services.casework.context import Casework
from services.casework.db import SCHEMA, Base, calendar_years, tables
from services.casework.local_figures.router import router as standards
from services.casework.onboarding.router import router as onboarding
from services.casework.province.router import router as province
from services.casework.registry.router import router as households
from services.casework.reports.router import router as reports
from services.casework.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu casework: Cases, decisions and the recipient registry",
    settings_cls=CaseworkSettings,
    context=Casework.of,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[
        cases,
        households,
        onboarding,
        postings,
        standards,
        relatives,
        reports,
        province,
        calendar_router(SCHEMA, calendar_years),
        diagnostics_router(SCHEMA, tables),
    ],
    subscriptions=subscriptions,
    jobs=jobs.jobs,
)
