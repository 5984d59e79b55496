"""Waking idle consumers when an event is published (issue 23, "idle means idle"; `CONSUMER_WAKE=nudge`).

Measured (bench/RESULTS.md, "Idle"): the development broker answers a fetch that finds nothing only when the fetch's
wait runs out, never early when data arrives. A short wait (10 ms) keeps event latency low but makes every idle
consumer fetch a hundred times a second, which kept the broker at half a core and each service at a tenth of one with
nothing to do; a long wait makes every event wait for it. So in `nudge` mode an idle consumer pauses its partitions
(no fetches at all) and the relay that publishes a batch says which topics it wrote to, with a PostgreSQL NOTIFY in
the transaction that marks the batch sent (delivered at its commit, after the broker acknowledged every event). Each
worker process keeps one LISTEN connection and wakes the consumers of those topics, which resume and fetch at once.

A nudge may be missed (the LISTEN connection was being re-made, the relay's database is another server): an idle
consumer also looks by itself every `consumer_idle_check_seconds`, so a missed nudge delays an event, never loses it
(the offsets, not the nudges, say what is consumed). With Apache Kafka, which answers a fetch as soon as data arrives,
`CONSUMER_WAKE=broker` waits in the fetch itself and nothing here runs (deploy/k8s/config.yaml).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.listening import listen
from libs.kernel.settings import BaseServiceSettings

CHANNEL = "jiuzhu_published"
EVERY_TOPIC = "*"
# PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; a batch naming more topics than fit wakes everyone.
_MAX_PAYLOAD = 7900


async def announce(session: AsyncSession, topics: Iterable[str]) -> None:
    """Say, at this transaction's commit, that events were published to `topics`."""
    payload = ",".join(sorted(set(topics)))
    if not payload:
        return
    if len(payload.encode()) > _MAX_PAYLOAD:
        payload = EVERY_TOPIC
    await session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


class Nudges:
    """One LISTEN connection per worker process, waking the consumers whose topics a relay just published to."""

    def __init__(self, settings: BaseServiceSettings) -> None:
        self.settings = settings
        self._waiters: list[tuple[frozenset[str], asyncio.Event]] = []

    def waiter(self, topics: Iterable[str]) -> asyncio.Event:
        """The event set whenever one of `topics` (full topic names) was published to."""
        event = asyncio.Event()
        self._waiters.append((frozenset(topics), event))
        return event

    def wake(self, topics: set[str]) -> None:
        for wanted, event in self._waiters:
            if EVERY_TOPIC in topics or not wanted.isdisjoint(topics):
                event.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the LISTEN connection open; every consumer is woken after each (re)connect, since a nudge sent while
        nobody listened is gone."""
        await listen(
            self.settings,
            CHANNEL,
            lambda payload: self.wake(set(payload.split(","))),
            lambda: self.wake({EVERY_TOPIC}),
            stop,
        )
