"""Row ids that sort by when they were made: UUID version 7 (RFC 9562 §5.7), as text.

A key that begins with such an id lands at the right-hand edge of its B-tree, where PostgreSQL fills a page before it
starts the next. One that begins with a random id (version 4) lands somewhere in the middle, where every page split
leaves two half-empty pages, and after a checkpoint nearly every write is a whole page in the WAL. It matters where
one id begins the keys of a million rows at once (a roster's line ids are its id and a line number) and where every
event's id keys the outbox and each inbox (issue 23: `bench.roster_line_ids`, `bench.event_ids`). The id shows when
it was made, to the millisecond, as the row it keys already does.
"""

from __future__ import annotations

import os
import time
import uuid

_VERSION = 0x7 << 76
_VARIANT = 0b10 << 62
_RAND_A = (1 << 12) - 1  # 12 random bits after the version
_RAND_B = (1 << 62) - 1  # 62 random bits after the variant


def time_ordered_id(*, unix_ms: int | None = None) -> str:
    """A new UUIDv7: 48 bits of Unix time in milliseconds, then 74 random bits. Ids made a millisecond or more apart
    sort in the order they were made; those of one millisecond, in any order. `unix_ms` is for benchmarks only."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80 | _VERSION | (rand >> 62 & _RAND_A) << 64 | _VARIANT | rand & _RAND_B
    return str(uuid.UUID(int=value))
