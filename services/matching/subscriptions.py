"""Which events matching consumes, and the handler of each: consumer name → {event type → handler}."""

from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_handler
from libs.kernel.service import Runtime, Subscriptions
from services.matching.context import Matching
from services.matching.db import tables
from services.matching.handlers import subscriptions_of


def subscriptions(runtime: Runtime) -> Subscriptions:
    return subscriptions_for(Matching.of(runtime))


def subscriptions_for(ctx: Matching) -> Subscriptions:
    return {"platform": {PROBE_EVENT_TYPE: probe_handler(tables)}, **subscriptions_of(ctx)}
