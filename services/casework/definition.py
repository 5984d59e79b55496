from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from services.casework.config import CaseworkSettings
from services.casework.db import SCHEMA, Base, tables
from services.casework.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu casework: Cases, decisions and the recipient registry",
    settings_cls=CaseworkSettings,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[diagnostics_router(SCHEMA, tables)],
    subscriptions=subscriptions,
)
