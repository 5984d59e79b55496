"""Every model module of disbursement, imported so `Base.metadata` knows all tables (migrations compare against it)."""

from services.disbursement.accounts import models as accounts
from services.disbursement.deadlines import models as deadlines
from services.disbursement.entitlements import models as entitlements
from services.disbursement.grants import models as grants
from services.disbursement.recoveries import models as recoveries
from services.disbursement.rosters import models as rosters

MODELS = (accounts, deadlines, entitlements, grants, recoveries, rosters)
