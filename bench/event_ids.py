"""What an event's id costs the tables that record it (issue 23): a consumer's inbox already holding a retention
window of events, then new events recorded a few to a commit, as handlers record them. The inbox is keyed by the
event's id; a random id (UUIDv4, before) is written somewhere in the middle of that index, a time-ordered one (UUIDv7,
`libs.kernel.ids`, after) at its right-hand edge. After a checkpoint, every index page first written again goes to
the WAL whole, so the WAL written is the figure to watch, with the seconds and the index's size. The table is a copy
of disbursement's own inbox (`LIKE … INCLUDING ALL`: its keys and indexes). Rounds alternate the two.

    python -m bench.event_ids [--held 2000000] [--events 50000] [--per-commit 10] [--rounds 2] [--quick]
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable

import asyncpg

from bench.statements import on_stack
from libs.kernel.ids import time_ordered_id

_HOUR_MS = 3_600_000


def id_maker(kind: str, start_ms: int) -> Callable[[int], str]:
    """The n-th event's id: random, or made at `start_ms` + n seconds."""
    if kind == "random":
        return lambda _n: str(uuid.uuid4())
    return lambda n: time_ordered_id(unix_ms=start_ms + n * 1000)


async def measure(conn: asyncpg.Connection, held: int, events: int, per_commit: int, rounds: int) -> None:
    print(f"an inbox holding {held:,} events; {events:,} new ones recorded {per_commit} to a commit")
    for _ in range(rounds):
        for kind, label in (("random", "random ids (UUIDv4)"), ("ordered", "time-ordered ids (UUIDv7)")):
            await conn.execute("CREATE TABLE bench_inbox (LIKE disbursement.inbox INCLUDING ALL)")
            now_ms = time.time_ns() // 1_000_000
            earlier = id_maker(kind, now_ms - held * 1000 - _HOUR_MS)
            await conn.copy_records_to_table(
                "bench_inbox",
                records=((earlier(n), "ledger", "entitlement-changed") for n in range(held)),
                columns=["event_id", "consumer", "event_type"],
            )
            await conn.execute("VACUUM ANALYZE bench_inbox")
            await conn.execute("CHECKPOINT")  # as after any checkpoint: each page's first change is logged whole
            new = id_maker(kind, now_ms)
            ids = [new(n) for n in range(events)]
            wal_start = await conn.fetchval("SELECT pg_current_wal_lsn()")
            started = time.perf_counter()
            for first in range(0, events, per_commit):
                async with conn.transaction():
                    await conn.executemany(
                        "INSERT INTO bench_inbox (event_id, consumer, event_type)"
                        " VALUES ($1, 'ledger', 'entitlement-changed')",
                        [(i,) for i in ids[first : first + per_commit]],
                    )
            seconds = time.perf_counter() - started
            wal = await conn.fetchval("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)", wal_start)
            size = await conn.fetchval("SELECT pg_indexes_size('bench_inbox') / 1048576")
            print(
                f"  {label:<26} {seconds:6.2f} s  WAL {float(wal) / 1048576:7.1f} MiB"
                f"  ({float(wal) / events:,.0f} bytes an event)  indexes {size:,} MiB",
                flush=True,
            )
            await conn.execute("DROP TABLE bench_inbox")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--held", type=int, default=2_000_000, help="events already in the inbox")
    parser.add_argument("--events", type=int, default=50_000, help="new events recorded")
    parser.add_argument("--per-commit", type=int, default=10, help="events recorded in one transaction")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs, alternating the two kinds of id")
    parser.add_argument("--quick", action="store_true", help="200,000 held and 5,000 new, to check it works")
    args = parser.parse_args()
    held, events = (200_000, 5_000) if args.quick else (args.held, args.events)
    on_stack("services.disbursement", lambda conn: measure(conn, held, events, args.per_commit, args.rounds))


if __name__ == "__main__":
    main()
