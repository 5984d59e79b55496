from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from libs.modules.work_calendar import calendar_router
from services.intake.application.router import router as applications
from services.intake.config import IntakeSettings
from services.intake.context import Intake
from services.intake.db import SCHEMA, Base, calendar_years, tables
from services.intake.lead.router import router as leads
from services.intake.local_figures.router import router as procedure_rules
from services.intake.subscriptions import subscriptions
from services.intake.warning.router import router as warnings

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu intake: Applications and active discovery",
    settings_cls=IntakeSettings,
    context=Intake.of,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[
        applications,
        leads,
        warnings,
        procedure_rules,
        calendar_router(SCHEMA, calendar_years),
        diagnostics_router(SCHEMA, tables),
    ],
    subscriptions=subscriptions,
)
