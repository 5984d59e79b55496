"""Which events matching consumes, and the handler of each: consumer name → {event type → handler}."""

from libs.contracts.events.casework import CaseDecided, EntitlementChanged, HouseholdChanged
from libs.contracts.events.intake import ApplicationSubmitted, ApplicationWithdrawn
from libs.contracts.events.relatives import CloseRelativeFilingChanged
from libs.kernel.consumer import handling, on
from libs.kernel.service import Runtime, Subscriptions
from services.matching.context import Matching
from services.matching.handlers import application_submitted
from services.matching.relatives import register
from services.matching.watchlist import service as watchlist


def subscriptions(runtime: Runtime) -> Subscriptions:
    ctx = runtime.context_as(Matching)
    return {
        # Applicants are watched and verified; decisions make them recipients or let them go.
        "applications": handling(
            on(ApplicationSubmitted, ctx, application_submitted),
            on(ApplicationWithdrawn, ctx, watchlist.application_withdrawn),
            on(CaseDecided, ctx, watchlist.case_decided),
        ),
        # Who is paid, in which household, and for which months: the watch list the registries are matched against.
        "watch-list": handling(
            on(HouseholdChanged, ctx, watchlist.household_changed),
            on(EntitlementChanged, ctx, watchlist.entitlement_changed),
        ),
        # Casework's close-relative register: its staff may not confirm or dismiss the relatives' households' hits.
        "relatives": handling(on(CloseRelativeFilingChanged, ctx, register.on_filing_changed)),
    }
