"""Pruning the messaging tables: only sent outbox rows and inbox rows past the retention go; replay within it works."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from aiokafka import ConsumerRecord
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.devstack.stack import DevStack
from libs.kernel.cli import main
from libs.kernel.consumer import EventConsumer
from libs.kernel.diagnostics import PROBE_EVENT_TYPE, probe_event
from libs.kernel.events import CloudEvent
from libs.kernel.outbox import mark_for_replay
from libs.kernel.pruning import MessagingPruner, replay_window_start
from services.intake.definition import DEFINITION as INTAKE
from tests.support.workers import runtime_of

T = INTAKE.tables
NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=31)  # past the default 30 days
RECENT = NOW - timedelta(days=29)


def _outbox_row(event: CloudEvent, created_at: datetime, sent_at: datetime | None) -> dict[str, object]:
    return {
        "event_id": event.id,
        "topic": event.type,
        "key": "hh-prune",
        "payload": event.to_bytes(),
        "created_at": created_at,
        "sent_at": sent_at,
    }


async def test_pruning_deletes_only_sent_outbox_rows_and_inbox_rows_past_the_retention(stack: DevStack) -> None:
    probe = uuid.uuid4().hex
    names = ("old_sent", "old_unsent", "recent_sent", "old_parked")
    events = {name: probe_event(probe, seq, source="intake") for seq, name in enumerate(names)}
    consumer = f"prune-{probe[:8]}"
    async with runtime_of(INTAKE) as rt:
        async with rt.db.sessions.begin() as s:
            await s.execute(
                insert(T.outbox),
                [
                    _outbox_row(events["old_sent"], OLD, OLD),
                    _outbox_row(events["old_unsent"], OLD, None),  # never published: kept however old
                    _outbox_row(events["recent_sent"], RECENT, RECENT),
                ],
            )
            await s.execute(
                insert(T.inbox),
                [
                    {"event_id": events[n].id, "consumer": consumer, "event_type": PROBE_EVENT_TYPE, "received_at": at}
                    for n, at in (("old_sent", OLD), ("recent_sent", RECENT), ("old_parked", OLD))
                ],
            )
            # An unresolved dead letter keeps its claim, so a redelivery is not parked twice.
            await s.execute(
                insert(T.dead_letters).values(
                    consumer=consumer, topic="t", partition=0, offset=0, event_id=events["old_parked"].id,
                    payload=b"{}", error="boom", attempts=1,
                )
            )  # fmt: skip
        # Small batches, so the loop goes round more than once.
        pruner = MessagingPruner(rt.db, T, rt.settings.with_overrides(prune_batch_size=1))
        pruned = await pruner.prune()
        assert pruned.outbox >= 1
        assert pruned.inbox >= 1
        async with rt.db.sessions() as s:
            outbox_left = set(
                await s.scalars(select(T.outbox.c.event_id).where(T.outbox.c.key == "hh-prune", _ids(T.outbox, events)))
            )
            inbox_left = set(await s.scalars(select(T.inbox.c.event_id).where(T.inbox.c.consumer == consumer)))
        assert outbox_left == {events["old_unsent"].id, events["recent_sent"].id}
        assert inbox_left == {events["recent_sent"].id, events["old_parked"].id}

        # A replay within the window re-queues what was kept, and the kept inbox row makes its redelivery harmless.
        handled: list[str] = []

        async def handler(_session: AsyncSession, event: CloudEvent) -> None:
            handled.append(event.id)

        async with rt.db.sessions() as s:
            # Rolled back: committed, it would re-queue every event of the session's other tests too.
            assert await mark_for_replay(s, T.outbox, replay_window_start(rt.settings) + timedelta(hours=1)) >= 1
            sent_at = await s.scalar(select(T.outbox.c.sent_at).where(T.outbox.c.event_id == events["recent_sent"].id))
            await s.rollback()
        assert sent_at is None
        reader = EventConsumer(consumer, rt.db, T, rt.settings, {PROBE_EVENT_TYPE: handler})
        for name in ("recent_sent", "old_sent"):
            await reader.process(_record(events[name]))
        # The recent one is a duplicate; only the pruned one's claim is gone (which is why replay stops at the window).
        assert handled == [events["old_sent"].id]
        async with rt.db.sessions.begin() as s:
            await s.execute(T.dead_letters.delete().where(T.dead_letters.c.consumer == consumer))
            await s.execute(T.inbox.delete().where(T.inbox.c.consumer == consumer))
            await s.execute(T.outbox.delete().where(_ids(T.outbox, events)))


def _ids(table, events: dict[str, CloudEvent]):  # type: ignore[no-untyped-def]
    return table.c.event_id.in_([e.id for e in events.values()])


def _record(event: CloudEvent) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic=PROBE_EVENT_TYPE, partition=0, offset=0, timestamp=0, timestamp_type=0, key=b"hh-prune",
        value=event.to_bytes(), checksum=None, serialized_key_size=8, serialized_value_size=0, headers=(),
    )  # fmt: skip


@pytest.mark.parametrize(("since", "refused"), [(timedelta(days=-31), True), (timedelta(minutes=5), False)])
def test_replay_refuses_a_since_older_than_the_retention(
    stack: DevStack, monkeypatch: pytest.MonkeyPatch, since: timedelta, refused: bool
) -> None:
    for name, value in stack.environment().items():
        monkeypatch.setenv(name, value)
    # The accepted one is in the future, so it queues nothing for the session's other tests.
    argv = ["replay", "--since", (datetime.now(UTC) + since).isoformat()]
    if refused:
        with pytest.raises(SystemExit) as exit_info:
            main(INTAKE, argv)
        assert exit_info.value.code == 2
    else:
        main(INTAKE, argv)
