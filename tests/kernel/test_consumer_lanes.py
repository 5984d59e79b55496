"""A consumer's lanes against the real broker (issue 23, "consumers in parallel"): partitions are handled side by side,
and each partition's events, so each household's, one after the other in their order."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from libs.devstack.stack import DevStack
from libs.kernel.consumer import EventConsumer
from libs.kernel.db import Database
from libs.kernel.diagnostics import probe_event
from libs.kernel.events import CloudEvent
from services.casework.definition import DEFINITION as CASEWORK
from tests.support.kernel_kafka import new_topic, publish, running
from tests.support.waiting import wait_until

Seen = list[tuple[int, int]]  # (partition, seq) in the order handled


@contextlib.asynccontextmanager
async def consuming(
    stack: DevStack, lanes: int, handle: Callable[[int, int], Awaitable[None]]
) -> AsyncIterator[Callable[[list[tuple[int, int]]], Awaitable[None]]]:
    """A consumer of a topic of its own with `lanes` lanes, calling `handle(partition, seq)` for every event; yields
    a function that publishes (partition, seq) pairs to it."""
    settings = CASEWORK.settings().with_overrides(consumer_lanes=lanes)
    event_type = f"kernel-lanes-{uuid.uuid4().hex[:10]}"
    topic = settings.topic(event_type)
    await new_topic(stack.bootstrap_servers, topic)
    probe_id = uuid.uuid4().hex

    async def handler(_session: AsyncSession, event: CloudEvent) -> None:
        await handle(int(event.data["partition"]), int(event.data["seq"]))

    async def send(pairs: list[tuple[int, int]]) -> None:
        events = [
            (
                probe_event(probe_id, seq, source="intake").model_copy(
                    update={"type": event_type, "data": {"partition": partition, "seq": seq}}
                ),
                partition,
            )
            for partition, seq in pairs
        ]
        await publish(stack.bootstrap_servers, topic, events)

    db = Database(settings, CASEWORK.name)
    consumer = EventConsumer(f"kt-{uuid.uuid4().hex[:12]}", db, CASEWORK.tables, settings, {event_type: handler})
    async with running(consumer):
        yield send


async def test_two_partitions_are_handled_side_by_side(stack: DevStack) -> None:
    started = {0: asyncio.Event(), 1: asyncio.Event()}
    seen: Seen = []

    async def handle(partition: int, seq: int) -> None:
        started[partition].set()
        # Each waits for the other to have started: one at a time, neither would ever finish.
        await asyncio.wait_for(started[1 - partition].wait(), 20)
        seen.append((partition, seq))

    async with consuming(stack, lanes=4, handle=handle) as send:
        await send([(0, 1), (1, 1)])
        await wait_until(lambda: asyncio.sleep(0, result=sorted(seen)), lambda s: s == [(0, 1), (1, 1)], timeout=60)


async def test_each_partitions_events_are_handled_in_their_order(stack: DevStack) -> None:
    seen: Seen = []

    async def handle(partition: int, seq: int) -> None:
        await asyncio.sleep(0.001 * (seq % 3))  # uneven handlers, so lanes overtake one another
        seen.append((partition, seq))

    pairs = [(partition, seq) for seq in range(25) for partition in range(4)]
    async with consuming(stack, lanes=4, handle=handle) as send:
        await send(pairs)
        await wait_until(lambda: asyncio.sleep(0, result=len(seen)), lambda n: n >= len(pairs), timeout=60)
    for partition in range(4):
        assert [seq for p, seq in seen if p == partition] == list(range(25))
    assert sorted(seen) == sorted(pairs)


async def test_one_lane_handles_one_event_at_a_time(stack: DevStack) -> None:
    running: list[int] = []
    most = 0
    seen: Seen = []

    async def handle(partition: int, seq: int) -> None:
        nonlocal most
        running.append(partition)
        most = max(most, len(running))
        await asyncio.sleep(0.01)
        running.remove(partition)
        seen.append((partition, seq))

    pairs = [(partition, seq) for seq in range(5) for partition in range(4)]
    async with consuming(stack, lanes=1, handle=handle) as send:
        await send(pairs)
        await wait_until(lambda: asyncio.sleep(0, result=len(seen)), lambda n: n >= len(pairs), timeout=60)
    assert most == 1
