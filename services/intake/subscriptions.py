"""Which events intake consumes, and the handler of each: consumer name → {event type → handler}."""

from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_handler
from libs.kernel.service import Runtime, Subscriptions
from services.intake import handlers
from services.intake.context import Intake
from services.intake.db import tables


def subscriptions(runtime: Runtime) -> Subscriptions:
    ctx = runtime.context
    assert isinstance(ctx, Intake)
    return {
        "platform": {PROBE_EVENT_TYPE: probe_handler(tables)},
        # Decisions close applications.
        "decisions": {"case-decided": handlers.case_decided(ctx)},
        # Requests for help from the hotline become leads.
        "help": {"help-requested": handlers.help_requested(ctx)},
        # Who is a recipient now: warnings about them become reviews, and they cannot apply twice.
        "recipients": {
            "entitlement-changed": handlers.entitlement_changed(ctx),
            "household-changed": handlers.household_changed(ctx),
        },
    }
