"""The province's feed at scale: how a run of casework's push job finds the household versions it has not queued yet.

Casework's registry records every change of a household as a sealed version; the push job (every few seconds while
versions come in) queues the new ones as changes to push (services/casework/province/feed.py). The registry of a
province holds millions of versions, nearly all of them queued long ago. This seeds `--versions` households with one
version each, every one already queued (a delivered change), and `--new` households with a second version not yet
queued, straight into casework's tables with set-based SQL (setup, not measured); then times, `--repeat` times each,
the statement a run used to ask (the versions above the highest version already queued for their household: a look at
every version with a look-up per row) and the one it asks now (the versions not yet taken, from their partial index),
on the same rows. Both must find exactly the new versions.

    python -m bench.province_feed [--versions 1000000] [--new 20] [--repeat 5] [--quick]
"""

from __future__ import annotations

import argparse
import time

import asyncpg

from bench.statements import Statement, compare, on_stack

_SEED = """
INSERT INTO casework.households (id, region_code, status, review_class, close_relative, version, created_at, updated_at)
SELECT 'h' || n, '140521' || lpad((n % 400)::text, 6, '0'), 'active', 'yearly', false, 1,
       timestamptz '2025-01-01' + n * interval '1 second', timestamptz '2025-01-01' + n * interval '1 second'
  FROM generate_series(1, $1::int) AS n;
INSERT INTO casework.household_versions (household_id, version, recorded_at, changes, snapshot_sealed, queued_at)
SELECT 'h' || n, 1, timestamptz '2025-01-01' + n * interval '1 second', '{}', 'sealed', now()
  FROM generate_series(1, $1::int) AS n;
INSERT INTO casework.province_changes (household_id, household_version, item_sealed, created_at, delivered_at,
                                       attempts, next_attempt_at)
SELECT 'h' || n, 1, 'sealed', now(), now(), 1, now() FROM generate_series(1, $1::int) AS n;
"""
# The households of the last `--new` numbers get a second version, recorded after everything else, not yet queued.
_NEW = """
INSERT INTO casework.household_versions (household_id, version, recorded_at, changes, snapshot_sealed)
SELECT 'h' || n, 2, timestamptz '2026-12-01' + n * interval '1 second', '{}', 'sealed'
  FROM generate_series($1::int - $2::int + 1, $1::int) AS n
"""

# What a run asked before issue 23's change (the same statement SQLAlchemy built, as SQL).
BEFORE = """
SELECT v.household_id, v.version, v.recorded_at, v.changes, v.case_id, v.snapshot_sealed
  FROM casework.household_versions v
 WHERE v.version > (SELECT coalesce(max(c.household_version), 0) FROM casework.province_changes c
                     WHERE c.household_id = v.household_id)
 ORDER BY v.recorded_at, v.household_id, v.version LIMIT 1000
"""
# What it asks now.
AFTER = """
SELECT v.household_id, v.version, v.recorded_at, v.changes, v.case_id, v.snapshot_sealed
  FROM casework.household_versions v
 WHERE v.queued_at IS NULL
 ORDER BY v.recorded_at, v.household_id, v.version LIMIT 1000
"""


async def measure(conn: asyncpg.Connection, versions: int, new: int, repeat: int) -> None:
    started = time.perf_counter()
    await conn.execute("SET synchronous_commit = off")  # setup only
    for statement in _SEED.strip().split(";\n"):
        await conn.execute(statement, versions)
    await conn.execute(_NEW, versions, new)
    await conn.execute("ANALYZE casework.households, casework.household_versions, casework.province_changes")
    seeded = time.perf_counter() - started
    print(f"seed: {versions:,} households with a queued version, {new} new versions; {seeded:.1f} s")
    statements = [
        Statement("before: every version, a look-up each", BEFORE),
        Statement("after: the partial index", AFTER),
    ]
    await compare(conn, statements, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, default=1_000_000, help="households with one queued version each")
    parser.add_argument("--new", type=int, default=20, help="households with a second version not yet queued")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each statement")
    parser.add_argument("--quick", action="store_true", help="100,000 versions")
    args = parser.parse_args()
    versions = 100_000 if args.quick else args.versions
    on_stack("services.casework", lambda conn: measure(conn, versions, args.new, args.repeat))


if __name__ == "__main__":
    main()
