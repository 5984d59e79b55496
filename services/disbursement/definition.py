from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from services.disbursement.accounts.router import router as accounts
from services.disbursement.config import DisbursementSettings
from services.disbursement.context import Disbursement
from services.disbursement.db import SCHEMA, Base, tables
from services.disbursement.finance.router import router as finance
from services.disbursement.household.router import router as household
from services.disbursement.ledger.router import router as ledger
from services.disbursement.models import MODELS
from services.disbursement.recoveries.router import router as recoveries
from services.disbursement.rosters.router import router as rosters
from services.disbursement.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu disbursement: Payment rosters and reconciliation",
    settings_cls=DisbursementSettings,
    context=Disbursement.of,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[rosters, finance, household, ledger, accounts, recoveries, diagnostics_router(SCHEMA, tables)],
    subscriptions=subscriptions,
)
assert MODELS  # every table is registered on Base.metadata before migrations compare against it
