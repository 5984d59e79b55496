"""Which events intake consumes, and the use case of each (one message = one transaction, CONTRACTS.md §6):
consumer name → {event type → handler}."""

from libs.contracts.events.casework import CaseDecided, EntitlementChanged, HouseholdChanged
from libs.contracts.events.complaints import HelpRequested
from libs.contracts.events.relatives import CloseRelativeFilingChanged
from libs.kernel.consumer import handling, on
from libs.kernel.service import Runtime, Subscriptions
from services.intake.application import service as applications
from services.intake.context import Intake
from services.intake.lead import service as leads
from services.intake.recipients import handlers as recipients
from services.intake.relatives import register


def subscriptions(runtime: Runtime) -> Subscriptions:
    ctx = runtime.context_as(Intake)
    return {
        # Decisions close applications.
        "decisions": handling(on(CaseDecided, ctx, applications.record_decision)),
        # Requests for help from the hotline become leads.
        "help": handling(on(HelpRequested, ctx, leads.help_requested)),
        # Who is a recipient now: warnings about them become reviews, and they cannot apply twice.
        "recipients": handling(
            on(EntitlementChanged, ctx, recipients.on_entitlement_changed),
            on(HouseholdChanged, ctx, recipients.on_household_changed),
        ),
        # Casework's close-relative register: its staff are refused on the relatives' applications and leads.
        "relatives": handling(on(CloseRelativeFilingChanged, ctx, register.on_filing_changed)),
    }
