from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from services.matching.config import MatchingSettings
from services.matching.db import SCHEMA, Base, tables
from services.matching.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu matching: Registry matching and suspicion hits",
    settings_cls=MatchingSettings,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[diagnostics_router(SCHEMA, tables)],
    subscriptions=subscriptions,
)
