"""A county's roster for a month, built from the ledger in set-based SQL (ARCHITECTURE.md decision 3).

For every entitlement of the county that no hold keeps back and that has a working account:
- the roster's month pays what is due then (the regular item);
- an entitlement looked at again from an earlier month (`dirty_from`: a late approval, a failed payment, a released
  hold, a retroactive change) pays each month since then what is due less what rosters already sent for it and
  not reported failed, plus what recovery orders took back: arrears (补发);
- each one-off batch of its program and region for such a month pays once, if the entitlement paid that month;
- open recovery orders take at most a set share of the line (追回), the oldest first.
Clean entitlements (the common case) look up no earlier lines at all. Lines hold no sealed numbers: the payee's
identity number and the account are read from the ledger once, at lock, into the sealed export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# The entitlements the roster pays or looks at: not held, with a working account. `from_month` is the first month
# looked at (never before the county's first roster here); `settles` marks those whose look-back this roster ends.
_CANDIDATES = text(
    """
    CREATE TEMP TABLE cand ON COMMIT DROP AS
    SELECT e.entitlement_id, e.household_id, e.program, e.region_code, e.member_count, e.payee_name,
           a.bank_code, a.account_no_masked,
           CASE WHEN e.dirty_from < CAST(:month AS date) THEN greatest(e.dirty_from, CAST(:first AS date))
                ELSE CAST(:month AS date) END AS from_month,
           coalesce(e.dirty_from <= CAST(:month AS date), false) AS settles,
           coalesce(s.due_fen, 0) AS regular
      FROM disbursement.entitlements e
      JOIN disbursement.bank_accounts a ON a.household_id = e.household_id AND a.status = 'ok'
      LEFT JOIN disbursement.schedule_segments s
        ON s.entitlement_id = e.entitlement_id AND s.first_month <= CAST(:month AS date)
       AND (s.last_month IS NULL OR s.last_month >= CAST(:month AS date))
     WHERE e.county_code = :county
       AND NOT EXISTS (
           SELECT 1 FROM disbursement.holds h
            WHERE h.household_id = e.household_id AND h.released_at IS NULL
              AND (h.program IS NULL OR h.program = e.program))
    """
)

# What rosters sent (lines not failed) for the months of entitlements looked at again, less what recovery orders
# took back for them; the roster's own month included (another county may have paid it before a move).
_DELIVERED = text(
    """
    CREATE TEMP TABLE delivered ON COMMIT DROP AS
    WITH back AS (SELECT entitlement_id, from_month FROM cand WHERE settles),
    sent AS (
        SELECT l.entitlement_id, l.period AS month, l.regular_fen AS fen
          FROM disbursement.roster_lines l
          JOIN back b ON b.entitlement_id = l.entitlement_id AND l.period >= b.from_month
          JOIN disbursement.rosters r ON r.id = l.roster_id
         WHERE l.status <> 'failed' AND r.status NOT IN ('draft', 'cancelled')
        UNION ALL
        SELECT i.entitlement_id, i.month, i.amount_fen
          FROM disbursement.line_items i
          JOIN back b ON b.entitlement_id = i.entitlement_id AND i.month >= b.from_month
          JOIN disbursement.roster_lines l ON l.line_id = i.line_id
          JOIN disbursement.rosters r ON r.id = i.roster_id
         WHERE i.kind = 'arrears' AND l.status <> 'failed' AND r.status NOT IN ('draft', 'cancelled')
        UNION ALL
        -- What an order waived stayed with the household: only the rest counts as taken back.
        SELECT m.entitlement_id, m.month, -(m.amount_fen - m.amount_fen * o.waived_fen / o.amount_fen)
          FROM disbursement.recovery_months m
          JOIN disbursement.recoveries o ON o.id = m.recovery_id
          JOIN back b ON b.entitlement_id = m.entitlement_id AND m.month >= b.from_month
    )
    SELECT entitlement_id, month, sum(fen)::bigint AS fen FROM sent GROUP BY entitlement_id, month
    """
)

# The roster's own month, for those looked at again: what was already sent for it counts too (a move between
# counties, a cancelled roster).
_REGULAR_LESS_SENT = text(
    """
    UPDATE cand c SET regular = greatest(c.regular - d.fen, 0)
      FROM delivered d
     WHERE d.entitlement_id = c.entitlement_id AND d.month = CAST(:month AS date)
    """
)

_ARREARS = text(
    """
    CREATE TEMP TABLE extras ON COMMIT DROP AS
    SELECT c.entitlement_id, 'arrears'::text AS kind, m.month, NULL::text AS one_off_id, NULL::text AS recovery_id,
           s.due_fen - coalesce(d.fen, 0) AS amount_fen,
           '补发 arrears for ' || to_char(m.month, 'YYYY-MM') AS note
      FROM cand c
      CROSS JOIN LATERAL (
          SELECT g::date AS month
            FROM generate_series(c.from_month::timestamp, CAST(:month AS timestamp) - interval '1 month',
                                 interval '1 month') AS g
      ) AS m
      JOIN disbursement.schedule_segments s
        ON s.entitlement_id = c.entitlement_id AND s.first_month <= m.month
       AND (s.last_month IS NULL OR s.last_month >= m.month)
      LEFT JOIN delivered d ON d.entitlement_id = c.entitlement_id AND d.month = m.month
     WHERE c.from_month < CAST(:month AS date) AND s.due_fen - coalesce(d.fen, 0) > 0
    """
)

_ONE_OFFS = text(
    """
    INSERT INTO extras (entitlement_id, kind, month, one_off_id, recovery_id, amount_fen, note)
    SELECT c.entitlement_id, 'one_off', b.period, b.id, NULL,
           b.amount_fen * CASE WHEN b.basis = 'per_member' THEN c.member_count ELSE 1 END, b.name
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

# The oldest orders first, each taking what is left of the line's deductible share.
_DEDUCTIONS = text(
    """
    INSERT INTO extras (entitlement_id, kind, month, one_off_id, recovery_id, amount_fen, note)
    WITH owing AS (SELECT DISTINCT entitlement_id FROM disbursement.recoveries WHERE status = 'open'),
    taken AS (
        SELECT i.recovery_id, sum(-i.amount_fen) AS fen
          FROM disbursement.line_items i
          JOIN owing o ON o.entitlement_id = i.entitlement_id
          JOIN disbursement.roster_lines l ON l.line_id = i.line_id
          JOIN disbursement.rosters r ON r.id = i.roster_id
         WHERE i.kind = 'recovery' AND l.status <> 'failed' AND r.status NOT IN ('draft', 'cancelled')
         GROUP BY i.recovery_id
    ), gross AS (
        SELECT c.entitlement_id, c.regular + coalesce((SELECT sum(x.amount_fen) FROM extras x
                                                        WHERE x.entitlement_id = c.entitlement_id), 0) AS fen
          FROM cand c JOIN owing o ON o.entitlement_id = c.entitlement_id
    ), open AS (
        SELECT o.id, o.entitlement_id, o.detected_at, o.reason,
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
    SELECT entitlement_id, 'recovery', NULL, NULL, id, -least(left_fen, room_left),
           '追回 recovery ' || id || ' (' || reason || ')'
      FROM ranked WHERE room_left > 0
    """
)

# Numbered by village, household and program; only lines that pay something. Straight from the candidates, which
# already hold what a line shows: one pass over a county's million entitlements. The items go to the lines just
# written and the totals are taken from the rows as they are written (issue 23): reading a million lines back, and
# finding each item's line through the entitlement index, cost the build seconds.
_LINES = text(
    """
    WITH lines AS (
        INSERT INTO disbursement.roster_lines (
            line_id, roster_id, line_no, period, household_id, entitlement_id, program, region_code, payee_name,
            bank_code, account_no_masked, regular_fen, amount_fen, status)
        SELECT :roster_id || '-' || lpad(n::text, 7, '0'), :roster_id, n, CAST(:month AS date), household_id,
               entitlement_id, program, region_code, payee_name, bank_code, account_no_masked, regular, amount,
               'pending'
          FROM (SELECT row_number() OVER (ORDER BY c.region_code, c.household_id, c.program) AS n, c.*,
                       c.regular + coalesce(x.fen, 0) AS amount
                  FROM cand c
                  LEFT JOIN (SELECT entitlement_id, sum(amount_fen)::bigint AS fen
                               FROM extras GROUP BY entitlement_id) x ON x.entitlement_id = c.entitlement_id
                 WHERE c.regular + coalesce(x.fen, 0) > 0) AS numbered
        RETURNING line_id, entitlement_id, program, regular_fen, amount_fen
    ), lined AS (
        -- Each extra with its line, joined once for the items and their totals: the planner knows the analysed
        -- extras (tens of thousands) and hashes them, where the items' RETURNING rows, unknown to it, had it sort a
        -- million lines.
        SELECT l.line_id, l.program, x.* FROM extras x JOIN lines l ON l.entitlement_id = x.entitlement_id
    ), items AS (
        INSERT INTO disbursement.line_items (
            line_id, roster_id, entitlement_id, kind, month, one_off_id, recovery_id, amount_fen, note)
        SELECT line_id, :roster_id, entitlement_id, kind, month, one_off_id, recovery_id, amount_fen, note FROM lined
    ), by_program AS (
        SELECT program, count(*) AS lines, sum(regular_fen) AS regular, sum(amount_fen) AS total
          FROM lines GROUP BY program
    ), by_kind AS (
        SELECT program, kind, sum(amount_fen) AS fen FROM lined GROUP BY program, kind
    )
    SELECT p.program, p.lines, p.regular, p.total,
           coalesce((SELECT fen FROM by_kind k WHERE k.program = p.program AND kind = 'arrears'), 0) AS arrears,
           coalesce((SELECT fen FROM by_kind k WHERE k.program = p.program AND kind = 'one_off'), 0) AS one_off,
           coalesce((SELECT fen FROM by_kind k WHERE k.program = p.program AND kind = 'recovery'), 0) AS recovery
      FROM by_program p ORDER BY p.program
    """
)

_SETTLES = text(
    """
    INSERT INTO disbursement.roster_settles (roster_id, entitlement_id)
    SELECT :roster_id, entitlement_id FROM cand WHERE settles
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

# At lock: the look-back of the entitlements the roster settled ends (unless a later change moved it back since).
_SETTLE = text(
    """
    UPDATE disbursement.entitlements e SET dirty_from = NULL
      FROM disbursement.roster_settles s
     WHERE s.roster_id = :roster_id AND e.entitlement_id = s.entitlement_id
       AND e.dirty_from <= CAST(:month AS date)
    """
)


async def build_lines(
    session: AsyncSession, *, roster_id: str, county: str, month: dt.date, first: dt.date, percent: int
) -> tuple[dict[str, Any], dict[str, int]]:
    """Insert the roster's lines and items; returns the totals by program and the entitlements held, by kind."""
    params = {"roster_id": roster_id, "county": county, "month": month, "first": first, "percent": percent}
    # Sorting and hashing a county of a million entitlements stays in memory.
    await session.execute(text("SET LOCAL work_mem = '256MB'"))
    await session.execute(_CANDIDATES, params)
    # Temporary tables have no statistics until analysed; the joins after this depend on their sizes.
    await session.execute(text("ANALYZE cand"))
    for statement in (_DELIVERED, _REGULAR_LESS_SENT, _ARREARS, _ONE_OFFS, _DEDUCTIONS):
        await session.execute(statement, params)
    # Analysed, the extras (a few per hundred lines) are hashed for the items and the totals, whatever statistics the
    # lines have. Unanalysed, where the lines had none yet, they were taken for millions and merge-joined: a sort of
    # the million new lines by entitlement, 1–2 s of the build (issue 23).
    await session.execute(text("ANALYZE extras"))
    written = (await session.execute(_LINES, params)).all()
    await session.execute(_SETTLES, params)
    # A county's new lines can be most of the table: without fresh statistics the lock's export would be planned
    # as a million index look-ups and an on-disk sort.
    await session.execute(text("ANALYZE disbursement.roster_lines"))
    totals: dict[str, Any] = {}
    for row in written:
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


async def settle(session: AsyncSession, *, roster_id: str, month: dt.date) -> None:
    await session.execute(_SETTLE, {"roster_id": roster_id, "month": month})
