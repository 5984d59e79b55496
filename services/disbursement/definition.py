from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from services.disbursement.config import DisbursementSettings
from services.disbursement.db import SCHEMA, Base, tables
from services.disbursement.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu disbursement: Payment rosters and reconciliation",
    settings_cls=DisbursementSettings,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[diagnostics_router(SCHEMA, tables)],
    subscriptions=subscriptions,
)
