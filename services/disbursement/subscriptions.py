"""Which events this service consumes, and the handler of each: consumer name → {event type → handler}."""

from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_handler
from libs.kernel.service import Runtime, Subscriptions
from services.disbursement.db import tables


def subscriptions(runtime: Runtime) -> Subscriptions:
    return {"platform": {PROBE_EVENT_TYPE: probe_handler(tables)}}
