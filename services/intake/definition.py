from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from services.intake.config import IntakeSettings
from services.intake.db import SCHEMA, Base, tables
from services.intake.subscriptions import SUBSCRIPTIONS

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu intake: Applications and active discovery",
    settings_cls=IntakeSettings,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[diagnostics_router(SCHEMA, tables)],
    subscriptions=SUBSCRIPTIONS,
)
