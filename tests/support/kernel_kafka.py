"""Reading a topic straight from the broker, for tests that check what the outbox relay really published."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from libs.devstack.broker import DEFAULT_PARTITIONS, create_topics
from libs.kernel.consumer import EventConsumer
from libs.kernel.events import CloudEvent


async def new_topic(bootstrap: str, topic: str, partitions: int = DEFAULT_PARTITIONS) -> None:
    """Create `topic` up front so a reader can assign every partition before anything is published."""
    await create_topics(bootstrap, [topic], partitions)


async def read_topic(
    bootstrap: str, topic: str, *, partitions: int = DEFAULT_PARTITIONS, timeout: float = 20.0
) -> list[Any]:
    """Every record on `topic` so far, in log order per partition.

    Call it once the outbox rows are marked sent: the relay marks a row only after the broker acknowledged it, so
    every message it published (duplicates included) precedes the end marker this function appends to each
    partition. The marker stands in for the high watermark, which the development broker reports wrongly (its
    ListOffsets(latest) answers the last batch's base offset + 1, not the next offset).
    """
    marker = b"__end-of-read__" + uuid.uuid4().hex.encode()
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        for partition in range(partitions):
            await producer.send_and_wait(topic, marker, partition=partition)
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        records: list[Any] = []
        open_partitions = set(range(partitions))
        deadline = time.monotonic() + timeout
        while open_partitions:
            if time.monotonic() > deadline:
                raise AssertionError(f"{topic}: no end marker from partitions {open_partitions} within {timeout}s")
            batches = await consumer.getmany(*[tp for tp in tps if tp.partition in open_partitions], timeout_ms=200)
            for tp, batch in batches.items():
                for record in batch:
                    if tp.partition not in open_partitions:
                        break
                    if record.value == marker:
                        open_partitions.discard(tp.partition)
                    elif not record.value.startswith(b"__end-of-read__"):
                        records.append(record)
        return records
    finally:
        await consumer.stop()


def seqs_by_key(records: list[Any]) -> dict[str, list[int]]:
    """The `seq` of each probe-shaped record, grouped by message key, in the order the broker holds them."""
    grouped: dict[str, list[int]] = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        event = CloudEvent.from_bytes(record.value)
        grouped.setdefault(record.key.decode(), []).append(int(event.data["seq"]))
    return grouped


async def publish(bootstrap: str, topic: str, events: list[tuple[CloudEvent, int]]) -> None:
    """Each event straight onto `topic` in the partition named, as a relay would put it but without its NOTIFY."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=False)
    await producer.start()
    try:
        for event, partition in events:
            await producer.send_and_wait(topic, event.to_bytes(), key=b"hh-1", partition=partition)
    finally:
        await producer.stop()


@contextlib.asynccontextmanager
async def running(consumer: EventConsumer) -> AsyncIterator[None]:
    """`consumer` consuming until the block ends; then stopped, and its database's pool closed."""
    stop = asyncio.Event()
    task = asyncio.create_task(consumer.run(stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await consumer.db.dispose()
