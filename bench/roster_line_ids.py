"""What a roster's lines pay for the two indexes of the roster's own order (issue 23): a county's roster of a million
lines after six earlier rosters, inserted into a table like `roster_lines` holding those two indexes (the line id,
the primary key; the roster and line number, unique). A line id is its roster's id and its number, so where a new
roster's keys land in those indexes is where its id sorts: anywhere for a random id (UUIDv4, before), at the
right-hand edge for a time-ordered one (UUIDv7, `libs.kernel.ids`, after). Rounds alternate the two.

    python -m bench.roster_line_ids [--lines 1000000] [--rosters 6] [--rounds 2] [--quick]
"""

from __future__ import annotations

import argparse
import time
import uuid

import asyncpg

from bench.statements import on_stack
from libs.kernel.ids import time_ordered_id

_MONTH_MS = 30 * 24 * 3_600_000
_FILL = "INSERT INTO bench_lines SELECT $1 || '-' || lpad(n::text, 7, '0'), $1, n FROM generate_series(1, $2::int) n"


def roster_ids(kind: str, rosters: int) -> list[str]:
    """The earlier rosters' ids and the new one's, made a month apart."""
    if kind == "random":
        return [str(uuid.uuid4()) for _ in range(rosters + 1)]
    start = time.time_ns() // 1_000_000 - rosters * _MONTH_MS
    return [time_ordered_id(unix_ms=start + n * _MONTH_MS) for n in range(rosters + 1)]


async def measure(conn: asyncpg.Connection, lines: int, rosters: int, rounds: int) -> None:
    print(f"a roster of {lines:,} lines after {rosters} earlier rosters of as many ({lines * rosters:,} lines)")
    for _ in range(rounds):
        for kind, label in (("random", "random roster ids (UUIDv4)"), ("ordered", "time-ordered ids (UUIDv7)")):
            await conn.execute(
                "CREATE TABLE bench_lines (line_id text PRIMARY KEY, roster_id text NOT NULL, line_no int NOT NULL)"
            )
            await conn.execute("CREATE UNIQUE INDEX ON bench_lines (roster_id, line_no)")
            *earlier, new = roster_ids(kind, rosters)
            for roster_id in earlier:
                await conn.execute(_FILL, roster_id, lines)
            await conn.execute("VACUUM ANALYZE bench_lines")
            await conn.execute("CHECKPOINT")  # the insert starts with no dirty pages of the set-up
            started = time.perf_counter()
            await conn.execute(_FILL, new, lines)
            seconds = time.perf_counter() - started
            size = await conn.fetchval("SELECT pg_indexes_size('bench_lines') / 1048576")
            print(
                f"  {label:<28} {seconds:7.2f} s  {lines / seconds:>11,.0f} lines/s  both indexes {size:,} MiB",
                flush=True,
            )
            await conn.execute("DROP TABLE bench_lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of each roster")
    parser.add_argument("--rosters", type=int, default=6, help="earlier rosters in the table")
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs, alternating the two kinds of id")
    parser.add_argument("--quick", action="store_true", help="rosters of 100,000 lines, to check it works")
    args = parser.parse_args()
    lines = 100_000 if args.quick else args.lines
    on_stack("services.disbursement", lambda conn: measure(conn, lines, args.rosters, args.rounds))


if __name__ == "__main__":
    main()
