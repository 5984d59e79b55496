from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from services.complaints.config import ComplaintsSettings
from services.complaints.db import SCHEMA, Base, tables
from services.complaints.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu complaints: Complaints and the 12345 hotline",
    settings_cls=ComplaintsSettings,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[diagnostics_router(SCHEMA, tables)],
    subscriptions=subscriptions,
)
