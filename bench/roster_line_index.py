"""What a roster's lines pay for their entitlement index (issue 23): a million lines, in random entitlement order as a
build writes them, inserted into a table like `roster_lines` holding the entitlement index alone, as a B-tree on
`(entitlement_id, period)` (before `disbursement_0010`) and as a hash index on `entitlement_id` (after), into an empty
table and into one already holding earlier months of the same entitlements (a county's roster after half a year).
The same rows without an index give the floor.

    python -m bench.roster_line_index [--lines 1000000] [--months 6] [--quick]
"""

from __future__ import annotations

import argparse
import time

import asyncpg

from bench.statements import on_stack

_INDEXES = (
    ("no index", ""),
    ("B-tree (entitlement_id, period)", "CREATE INDEX ON bench_lines (entitlement_id, period)"),
    ("hash (entitlement_id)", "CREATE INDEX ON bench_lines USING hash (entitlement_id)"),
)


async def measure(conn: asyncpg.Connection, lines: int, months: int) -> None:
    await conn.execute(
        "CREATE TABLE bench_month AS SELECT gen_random_uuid()::text AS entitlement_id, date '2027-01-01' AS period,"
        " g AS line_no FROM generate_series(1, $1::int) g",
        lines,
    )
    await conn.execute(
        "CREATE TABLE bench_earlier AS SELECT entitlement_id, (period - make_interval(months => m))::date AS period,"
        " line_no FROM bench_month, generate_series(1, $1::int) m",
        months,
    )
    print(f"{lines:,} lines in random entitlement order; earlier months: {months} ({lines * months:,} lines)")
    for label, ddl in _INDEXES:
        for earlier in (False, True):
            await conn.execute("CREATE TABLE bench_lines (entitlement_id text, period date, line_no int)")
            if earlier:
                await conn.execute("INSERT INTO bench_lines SELECT * FROM bench_earlier")
            if ddl:
                await conn.execute(ddl)
            await conn.execute("VACUUM ANALYZE bench_lines")
            await conn.execute("CHECKPOINT")  # each insert starts with no dirty pages of another
            started = time.perf_counter()
            await conn.execute("INSERT INTO bench_lines SELECT * FROM bench_month")
            seconds = time.perf_counter() - started
            held = "after earlier months" if earlier else "into an empty table"
            print(f"  {label:<32} {held:<22} {seconds:7.2f} s  {lines / seconds:>11,.0f} lines/s", flush=True)
            await conn.execute("DROP TABLE bench_lines")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the roster inserted")
    parser.add_argument("--months", type=int, default=6, help="earlier months of the same entitlements held")
    parser.add_argument("--quick", action="store_true", help="100,000 lines, to check it works")
    args = parser.parse_args()
    lines = 100_000 if args.quick else args.lines
    on_stack("services.disbursement", lambda conn: measure(conn, lines, args.months))


if __name__ == "__main__":
    main()
