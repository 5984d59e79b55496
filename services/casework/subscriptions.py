"""Which events casework consumes, and the handler of each: consumer name → {event type → handler}."""

from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_handler
from libs.kernel.service import Runtime, Subscriptions
from services.casework.context import Casework
from services.casework.db import tables
from services.casework.handlers import subscriptions_of


def subscriptions(runtime: Runtime) -> Subscriptions:
    return subscriptions_for(Casework.of(runtime))


def subscriptions_for(ctx: Casework) -> Subscriptions:
    return {"platform": {PROBE_EVENT_TYPE: probe_handler(tables)}, **subscriptions_of(ctx)}
