"""Which events complaints consumes, and the handler of each: consumer name → {event type → handler}."""

from libs.contracts.events.casework import HouseholdChanged
from libs.contracts.events.relatives import CloseRelativeFilingChanged
from libs.kernel.consumer import handling, on
from libs.kernel.service import Runtime, Subscriptions
from services.complaints.context import Complaints
from services.complaints.relatives import register


def subscriptions(runtime: Runtime) -> Subscriptions:
    ctx = runtime.context_as(Complaints)
    return {
        # Casework's close-relative register and its households' members: a filed staff member may not handle an
        # item about the relative or the relative's household (DOMAIN.md §7).
        "relatives": handling(
            on(CloseRelativeFilingChanged, ctx, register.on_filing_changed),
            on(HouseholdChanged, ctx, register.on_household_changed),
        ),
    }
