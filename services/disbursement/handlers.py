"""Events disbursement consumes (CONTRACTS.md §6), each to one use case in one transaction."""

from __future__ import annotations

from libs.contracts.events.casework import EntitlementChanged, HouseholdChanged
from libs.contracts.events.matching import DeathDetected
from libs.kernel.consumer import Handler, typed_handler
from services.disbursement.context import Disbursement
from services.disbursement.ledger import service as ledger


def subscriptions_of(ctx: Disbursement) -> dict[str, dict[str, Handler]]:
    return {
        # One consumer for the three, so a household's entitlement, death and change are applied one at a time.
        "ledger": {
            EntitlementChanged.event_type: typed_handler(EntitlementChanged, ctx, ledger.entitlement_changed),
            DeathDetected.event_type: typed_handler(DeathDetected, ctx, ledger.death_detected),
            HouseholdChanged.event_type: typed_handler(HouseholdChanged, ctx, ledger.household_changed),
        },
    }
