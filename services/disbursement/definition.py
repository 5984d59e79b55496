from pathlib import Path

from libs.kernel.service import ServiceDefinition, ServiceSchema
from services.disbursement.accounts.router import router as accounts
from services.disbursement.context import Disbursement
from services.disbursement.db import Base, tables
from services.disbursement.deadlines.router import router as deadlines
from services.disbursement.finance.router import router as finance
from services.disbursement.household.router import router as household
from services.disbursement.ledger.router import router as ledger
from services.disbursement.ledgers.router import router as ledgers
from services.disbursement.models import MODELS
from services.disbursement.recoveries.router import router as recoveries
from services.disbursement.rosters.router import router as rosters
from services.disbursement.statistics.router import router as statistics
from services.disbursement.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    context_class=Disbursement,
    schema=ServiceSchema(Base.metadata, tables, Path(__file__).parent / "migrations" / "versions"),
    title="Jiuzhu disbursement: Payment rosters and reconciliation",
    # The deadline's router before the rosters': its `/rosters/unpaid-by-deadline` is not a roster's id; the ledgers'
    # before the recoveries': `/recoveries/export.xlsx` is not an order's id.
    routers=[ledgers, deadlines, rosters, finance, household, ledger, accounts, recoveries, statistics],
    subscriptions=subscriptions,
)
assert MODELS  # every table is registered on Base.metadata before migrations compare against it
