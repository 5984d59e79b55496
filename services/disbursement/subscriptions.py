"""Which events disbursement consumes, and the handler of each: consumer name → {event type → handler}."""

from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_handler
from libs.kernel.service import Runtime, Subscriptions
from services.disbursement.context import Disbursement
from services.disbursement.db import tables
from services.disbursement.handlers import subscriptions_of


def subscriptions(runtime: Runtime) -> Subscriptions:
    return subscriptions_for(Disbursement.of(runtime))


def subscriptions_for(ctx: Disbursement) -> Subscriptions:
    return {"platform": {PROBE_EVENT_TYPE: probe_handler(tables)}, **subscriptions_of(ctx)}
