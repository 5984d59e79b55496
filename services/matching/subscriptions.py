"""Which events this service consumes, and the handler of each: consumer name → {event type → handler}."""

from collections.abc import Mapping

from libs.kernel.consumer import Handler
from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_handler
from services.matching.db import tables

SUBSCRIPTIONS: Mapping[str, Mapping[str, Handler]] = {
    "platform": {PROBE_EVENT_TYPE: probe_handler(tables)},
}
