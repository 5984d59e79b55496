"""Which events disbursement consumes, and the handler of each: consumer name → {event type → handler} (CONTRACTS.md
§6), each event to one use case in one transaction."""

from libs.contracts.events.casework import EntitlementChanged, HouseholdChanged
from libs.contracts.events.grants import TemporaryGrantIssued, TemporaryGrantReclaimed
from libs.contracts.events.matching import DeathDetected
from libs.kernel.consumer import handling, on
from libs.kernel.service import Runtime, Subscriptions
from services.disbursement.context import Disbursement
from services.disbursement.grants import orders, payments
from services.disbursement.ledger import service as ledger


def subscriptions(runtime: Runtime) -> Subscriptions:
    ctx = runtime.context_as(Disbursement)
    return {
        # One consumer for the three, so a household's entitlement, death and change are applied one at a time.
        "ledger": handling(
            on(EntitlementChanged, ctx, ledger.entitlement_changed),
            on(DeathDetected, ctx, ledger.death_detected),
            on(HouseholdChanged, ctx, ledger.household_changed),
        ),
        # Temporary grants: one payment each, apart from the ledger; a grant's issue and its reclaim in order.
        "grants": handling(
            on(TemporaryGrantIssued, ctx, orders.grant_issued),
            on(TemporaryGrantReclaimed, ctx, payments.grant_reclaimed),
        ),
    }
