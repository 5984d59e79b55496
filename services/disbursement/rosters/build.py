"""A county's roster for a month, built from the ledger in set-based SQL (ARCHITECTURE.md decision 3).

For every entitlement of the county that no hold keeps back and that has a working account:
- each month from where it is unsettled (`dirty_from`, else the roster's month) to the roster's month pays what is
  due less what rosters already sent for it and not reported failed (plus what recovery orders took back):
  the roster's month is the regular item, earlier months are arrears (补发);
- each one-off batch of its program and region for such a month pays once, if the entitlement paid that month;
- open recovery orders take at most a set share of the line (追回), the oldest first.
Clean entitlements (the common case) look up no earlier lines at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Entitlements the roster pays (or looks at): not held, with a working account; `from_month` is the first month
# looked at, never before the county's first roster in this system.
_CANDIDATES = text(
    """
    CREATE TEMP TABLE cand ON COMMIT DROP AS
    SELECT e.entitlement_id, e.household_id, e.program, e.region_code, e.payee_name, e.payee_id_sealed,
           e.member_count, a.bank_code, a.account_no_masked, a.account_no_sealed,
           CASE WHEN e.dirty_from < CAST(:month AS date) THEN greatest(e.dirty_from, CAST(:first AS date))
                ELSE CAST(:month AS date) END AS from_month
      FROM disbursement.entitlements e
      JOIN disbursement.bank_accounts a ON a.household_id = e.household_id AND a.status = 'ok'
     WHERE e.county_code = :county
       AND NOT EXISTS (
           SELECT 1 FROM disbursement.holds h
            WHERE h.household_id = e.household_id AND h.released_at IS NULL
              AND (h.program IS NULL OR h.program = e.program))
    """
)

# What rosters sent (lines not failed) for the months of entitlements looked at before the roster's month, less
# what recovery orders took back for them.
_DELIVERED = text(
    """
    CREATE TEMP TABLE delivered ON COMMIT DROP AS
    WITH dirty AS (SELECT entitlement_id, from_month FROM cand WHERE from_month < CAST(:month AS date)),
    sent AS (
        SELECT l.entitlement_id, l.period AS month, l.regular_fen AS fen
          FROM disbursement.roster_lines l
          JOIN dirty d ON d.entitlement_id = l.entitlement_id AND l.period >= d.from_month
          JOIN disbursement.rosters r ON r.id = l.roster_id
         WHERE l.status <> 'failed' AND r.status NOT IN ('draft', 'cancelled')
        UNION ALL
        SELECT i.entitlement_id, i.month, i.amount_fen
          FROM disbursement.line_items i
          JOIN dirty d ON d.entitlement_id = i.entitlement_id AND i.month >= d.from_month
          JOIN disbursement.roster_lines l ON l.line_id = i.line_id
          JOIN disbursement.rosters r ON r.id = i.roster_id
         WHERE i.kind = 'arrears' AND l.status <> 'failed' AND r.status NOT IN ('draft', 'cancelled')
        UNION ALL
        SELECT m.entitlement_id, m.month, -m.amount_fen
          FROM disbursement.recovery_months m
          JOIN dirty d ON d.entitlement_id = m.entitlement_id AND m.month >= d.from_month
    )
    SELECT entitlement_id, month, sum(fen) AS fen FROM sent GROUP BY entitlement_id, month
    """
)

_OWED = text(
    """
    CREATE TEMP TABLE owed ON COMMIT DROP AS
    SELECT c.entitlement_id, m.month,
           CASE WHEN m.month = CAST(:month AS date) THEN 'regular' ELSE 'arrears' END AS kind,
           NULL::text AS one_off_id, s.due_fen - coalesce(d.fen, 0) AS amount_fen
      FROM cand c
      CROSS JOIN LATERAL (
          SELECT g::date AS month
            FROM generate_series(c.from_month::timestamp, CAST(:month AS timestamp), interval '1 month') AS g
      ) AS m
      JOIN disbursement.schedule_segments s
        ON s.entitlement_id = c.entitlement_id AND s.first_month <= m.month
       AND (s.last_month IS NULL OR s.last_month >= m.month)
      LEFT JOIN delivered d ON d.entitlement_id = c.entitlement_id AND d.month = m.month
     WHERE s.due_fen - coalesce(d.fen, 0) > 0
    """
)

_ONE_OFFS = text(
    """
    INSERT INTO owed (entitlement_id, month, kind, one_off_id, amount_fen)
    SELECT c.entitlement_id, b.period, 'one_off', b.id,
           b.amount_fen * CASE WHEN b.basis = 'per_member' THEN c.member_count ELSE 1 END
      FROM cand c
      JOIN disbursement.one_off_batches b
        ON b.program = c.program AND b.period >= c.from_month AND b.period <= CAST(:month AS date)
       AND starts_with(c.region_code, b.region_prefix)
      JOIN disbursement.schedule_segments s
        ON s.entitlement_id = c.entitlement_id AND s.first_month <= b.period
       AND (s.last_month IS NULL OR s.last_month >= b.period) AND s.due_fen > 0
     WHERE c.from_month = CAST(:month AS date) OR NOT EXISTS (
           SELECT 1 FROM disbursement.line_items i
             JOIN disbursement.roster_lines l ON l.line_id = i.line_id
             JOIN disbursement.rosters r ON r.id = i.roster_id
            WHERE i.one_off_id = b.id AND i.entitlement_id = c.entitlement_id
              AND l.status <> 'failed' AND r.status NOT IN ('draft', 'cancelled'))
    """
)

_GROSS = text(
    """
    CREATE TEMP TABLE gross ON COMMIT DROP AS
    SELECT entitlement_id, sum(amount_fen) AS fen,
           coalesce(sum(amount_fen) FILTER (WHERE kind = 'regular'), 0) AS regular
      FROM owed GROUP BY entitlement_id
    """
)

# The oldest orders first, each taking what is left of the line's deductible share.
_DEDUCT = text(
    """
    CREATE TEMP TABLE deduct ON COMMIT DROP AS
    WITH taken AS (
        SELECT i.recovery_id, sum(-i.amount_fen) AS fen
          FROM disbursement.line_items i
          JOIN disbursement.roster_lines l ON l.line_id = i.line_id
          JOIN disbursement.rosters r ON r.id = i.roster_id
         WHERE i.kind = 'recovery' AND l.status <> 'failed' AND r.status NOT IN ('draft', 'cancelled')
           AND i.entitlement_id IN (SELECT entitlement_id FROM disbursement.recoveries WHERE status = 'open')
         GROUP BY i.recovery_id
    ), open AS (
        SELECT o.id, o.entitlement_id, o.detected_at, o.reason, o.months,
               o.amount_fen - o.collected_fen - o.waived_fen - coalesce(t.fen, 0) AS left_fen,
               g.fen * :percent / 100 AS room
          FROM disbursement.recoveries o
          JOIN gross g ON g.entitlement_id = o.entitlement_id
          LEFT JOIN taken t ON t.recovery_id = o.id
         WHERE o.status = 'open'
    ), ranked AS (
        SELECT *, room - coalesce(sum(left_fen) OVER (
                   PARTITION BY entitlement_id ORDER BY detected_at, id
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS room_left
          FROM open WHERE left_fen > 0
    )
    SELECT entitlement_id, id AS recovery_id, reason, months, least(left_fen, room_left) AS fen
      FROM ranked WHERE room_left > 0
    """
)

_LINES = text(
    """
    INSERT INTO disbursement.roster_lines (
        line_id, roster_id, line_no, period, household_id, entitlement_id, program, region_code, payee_name,
        payee_id_sealed, bank_code, account_no_masked, account_no_sealed, regular_fen, amount_fen, status)
    SELECT gen_random_uuid()::text, :roster_id,
           row_number() OVER (ORDER BY c.region_code, c.household_id, c.program), CAST(:month AS date),
           c.household_id, c.entitlement_id, c.program, c.region_code, c.payee_name, c.payee_id_sealed,
           c.bank_code, c.account_no_masked, c.account_no_sealed, g.regular, g.fen - coalesce(d.fen, 0), 'pending'
      FROM gross g
      JOIN cand c ON c.entitlement_id = g.entitlement_id
      LEFT JOIN (SELECT entitlement_id, sum(fen) AS fen FROM deduct GROUP BY entitlement_id) d
        ON d.entitlement_id = g.entitlement_id
     WHERE g.fen > 0
    """
)

_ITEMS = text(
    """
    INSERT INTO disbursement.line_items (
        line_id, roster_id, entitlement_id, kind, month, one_off_id, recovery_id, amount_fen, note)
    SELECT l.line_id, :roster_id, o.entitlement_id, o.kind, o.month, o.one_off_id, NULL, o.amount_fen,
           CASE WHEN o.kind = 'arrears' THEN '补发 arrears for ' || to_char(o.month, 'YYYY-MM')
                ELSE (SELECT b.name FROM disbursement.one_off_batches b WHERE b.id = o.one_off_id) END
      FROM owed o
      JOIN disbursement.roster_lines l ON l.roster_id = :roster_id AND l.entitlement_id = o.entitlement_id
     WHERE o.kind <> 'regular'
    UNION ALL
    SELECT l.line_id, :roster_id, d.entitlement_id, 'recovery', NULL, NULL, d.recovery_id, -d.fen,
           '追回 recovery ' || d.recovery_id || ' (' || d.reason || ')'
      FROM deduct d
      JOIN disbursement.roster_lines l ON l.roster_id = :roster_id AND l.entitlement_id = d.entitlement_id
    """
)

_TOTALS = text(
    """
    WITH lines AS (
        SELECT program, count(*) AS lines, sum(regular_fen) AS regular, sum(amount_fen) AS total
          FROM disbursement.roster_lines WHERE roster_id = :roster_id GROUP BY program
    ), items AS (
        SELECT l.program, i.kind, sum(i.amount_fen) AS fen
          FROM disbursement.line_items i JOIN disbursement.roster_lines l ON l.line_id = i.line_id
         WHERE i.roster_id = :roster_id GROUP BY l.program, i.kind
    )
    SELECT p.program, p.lines, p.regular, p.total,
           coalesce((SELECT fen FROM items WHERE items.program = p.program AND kind = 'arrears'), 0) AS arrears,
           coalesce((SELECT fen FROM items WHERE items.program = p.program AND kind = 'one_off'), 0) AS one_off,
           coalesce((SELECT fen FROM items WHERE items.program = p.program AND kind = 'recovery'), 0) AS recovery
      FROM lines p ORDER BY p.program
    """
)

_HELD = text(
    """
    SELECT h.kind, count(DISTINCT e.entitlement_id) AS n
      FROM disbursement.entitlements e
      JOIN disbursement.holds h ON h.household_id = e.household_id AND h.released_at IS NULL
       AND (h.program IS NULL OR h.program = e.program)
     WHERE e.county_code = :county
     GROUP BY h.kind
    """
)

_CLEAN = text(
    """
    UPDATE disbursement.entitlements e SET dirty_from = NULL
      FROM cand c
     WHERE e.entitlement_id = c.entitlement_id AND e.dirty_from IS NOT NULL
       AND e.dirty_from <= CAST(:month AS date)
    """
)


async def build_lines(
    session: AsyncSession, *, roster_id: str, county: str, month: dt.date, first: dt.date, percent: int
) -> tuple[dict[str, Any], dict[str, int]]:
    """Insert the roster's lines and items; returns the totals by program and the entitlements held, by kind."""
    params = {"roster_id": roster_id, "county": county, "month": month, "first": first, "percent": percent}
    await session.execute(_CANDIDATES, params)
    # Temporary tables have no statistics until analysed; the joins after this depend on their sizes.
    await session.execute(text("ANALYZE cand"))
    for statement in (_DELIVERED, _OWED, _ONE_OFFS, _GROSS, _DEDUCT, _LINES, _ITEMS):
        await session.execute(statement, params)
    totals: dict[str, Any] = {}
    for row in (await session.execute(_TOTALS, params)).all():
        totals[row.program] = {
            "lines": int(row.lines),
            "regular": int(row.regular),
            "arrears": int(row.arrears),
            "one_off": int(row.one_off),
            "recovery": int(row.recovery),
            "total": int(row.total),
        }
    held = {row.kind: int(row.n) for row in (await session.execute(_HELD, params)).all()}
    return totals, held


async def settle_candidates(session: AsyncSession, *, county: str, month: dt.date, first: dt.date) -> None:
    """At lock: the entitlements the roster looked at are settled up to its month (their `dirty_from` cleared)."""
    params = {"county": county, "month": month, "first": first}
    await session.execute(_CANDIDATES, params)
    await session.execute(_CLEAN, params)
