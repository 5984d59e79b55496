"""A probe event with no domain meaning: platform tests and benchmarks use it to prove the event path."""

from __future__ import annotations

from pydantic import AwareDatetime

from libs.contracts.events.base import EventPayload, Id


class PlatformProbe(EventPayload):
    event_type = "platform-probe"

    probe_id: Id
    seq: int
    sent_at: AwareDatetime
