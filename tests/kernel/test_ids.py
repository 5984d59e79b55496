"""Time-ordered row ids (libs.kernel.ids): UUID version 7 as RFC 9562 lays it out, sorting as they were made."""

from __future__ import annotations

import time
import uuid

from libs.kernel.events import CloudEvent, new_event
from libs.kernel.ids import time_ordered_id


def test_an_id_is_a_version_7_uuid_whose_first_48_bits_are_the_millisecond_it_was_made() -> None:
    before = time.time_ns() // 1_000_000
    made = time_ordered_id()
    after = time.time_ns() // 1_000_000
    parsed = uuid.UUID(made)
    assert str(parsed) == made  # the canonical text form, as a uuid4's
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
    assert before <= parsed.int >> 80 <= after


def test_ids_a_millisecond_apart_sort_as_made_and_as_text() -> None:
    start = 1_780_000_000_000
    ids = [time_ordered_id(unix_ms=start + n) for n in range(0, 2_000, 7)]
    assert ids == sorted(ids)
    assert [uuid.UUID(i) for i in ids] == sorted(uuid.UUID(i) for i in ids)


def test_ids_of_one_millisecond_differ_in_their_74_random_bits() -> None:
    ids = {time_ordered_id(unix_ms=1_780_000_000_000) for _ in range(10_000)}
    assert len(ids) == 10_000
    assert {uuid.UUID(i).int >> 80 for i in ids} == {1_780_000_000_000}


def test_a_new_event_has_a_time_ordered_id_so_outbox_and_inbox_are_written_at_their_edge() -> None:
    first = new_event("household-changed", source="casework", data={"household_id": "h-1"}, subject="h-1")
    time.sleep(0.002)
    second = new_event("household-changed", source="casework", data={"household_id": "h-1"}, subject="h-1")
    assert [uuid.UUID(e.id).version for e in (first, second)] == [7, 7]
    assert first.id < second.id
    assert CloudEvent.from_bytes(second.to_bytes()).id == second.id  # as it travels
