"""Local figures at scale: how a step finds the figures in force for one village (DOMAIN.md §12).

Every proposal and decision reads the standards in force for its case's village (casework's `standards`; intake's
procedure rules, complaints' policy and disbursement's deadlines are read the same way, libs/modules/local_figures.py).
This seeds `--villages` villages' own rows (five figures each, set on two dates, as a city that sets its figures per
village would have them) besides the national rows of the migration, straight into casework's table with set-based
SQL (setup, not measured); then times, `--repeat` times each, the statement the read used before (a row bears on the
region when `:code LIKE region_prefix || '%'`: every row of the table read) and the one it uses now (`region_prefix`
one of the code's prefixes: the prefix's index), for one village, on the same rows. Both must find the same rows.

    python -m bench.local_figures [--villages 20000] [--repeat 20] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import asyncpg

from bench.statements import Statement, compare, on_stack
from libs.modules.local_figures import prefixes_of

_SEED = """
INSERT INTO casework.standards (region_prefix, effective_from, name, value, created_by, created_at)
SELECT '1405' || lpad((v / 1000)::text, 2, '0') || lpad((v / 100 % 10)::text, 3, '0') || lpad((v % 100)::text, 3, '0'),
       d, f, to_jsonb('700.00'::text), 'bench', now()
  FROM generate_series(0, $1::int - 1) AS v,
       unnest(ARRAY[date '2025-01-01', date '2026-01-01']) AS d,
       unnest(ARRAY['dibao_urban', 'dibao_rural', 'tekun_basic', 'tekun_care', 'temporary_cap']) AS f
"""

# The read before issue 23's change, and now (the statements SQLAlchemy built, as SQL).
BEFORE = """
SELECT * FROM casework.standards
 WHERE $1::text LIKE region_prefix || '%' AND effective_from <= $2::date
"""
AFTER = """
SELECT * FROM casework.standards
 WHERE region_prefix = ANY($1::text[]) AND effective_from <= $2::date
"""


async def measure(conn: asyncpg.Connection, villages: int, repeat: int) -> None:
    started = time.perf_counter()
    await conn.execute(_SEED, villages)
    await conn.execute("ANALYZE casework.standards")
    rows = await conn.fetchval("SELECT count(*) FROM casework.standards")
    print(f"seed: {villages:,} villages' own figures, {rows:,} rows in all; {time.perf_counter() - started:.1f} s")
    village, day = "140501003045", dt.date(2026, 12, 7)
    statements = [
        Statement("before: every row, LIKE", BEFORE, (village, day)),
        Statement("after: the code's prefixes, by index", AFTER, (prefixes_of(village), day)),
    ]
    await compare(conn, statements, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=20_000, help="villages with figures of their own")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each statement")
    parser.add_argument("--quick", action="store_true", help="2,000 villages")
    args = parser.parse_args()
    villages = 2_000 if args.quick else args.villages
    on_stack("services.casework", lambda conn: measure(conn, villages, args.repeat))


if __name__ == "__main__":
    main()
