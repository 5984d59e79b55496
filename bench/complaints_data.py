"""The complaint ledger a benchmark starts from (setup, not measured): complaints and their status history written
straight into complaints' tables with set-based SQL, then a set of callers whose phone hashes are the service's own
keyed hashes, so work orders from those phones link as repeats (DOMAIN.md §6) and the look-up does real index work.

Shape: `counties` counties (province 14, cities of 20 counties each), 10 townships of 10 villages per county,
`received_at` spread over the year before `now`; each item has a caller phone hash and, for four in five, a subject
identity hash (64 hex characters, the shape of `PiiVault.keyed_hash`). The sealed columns stay empty: the lists and
the repeat look-up never open them. Items older than 30 days are resolved, except one in fifty left open (so every
county has an overdue list); younger ones are in any state. Each item has two status changes, received and assigned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import asyncpg

from libs.kernel.pii import PiiVault

HOTLINE_CLIENT = "c-bench-12345"


def county_code(i: int) -> str:
    return f"14{i // 20 + 1:02d}{i % 20 + 1:02d}"


def known_phone(i: int) -> str:
    return f"138{i:08d}"


@dataclass(frozen=True)
class Seeded:
    complaints: int
    status_changes: int
    counties: int
    known_phones: int  # callers in the ledger (within the repeat window) a benchmark may call back as


# $1 rows, $2 counties, $3 now. md5 gives 32 hex digits: two make a keyed hash's 64.
_COMPLAINTS = """
INSERT INTO complaints.complaints (
    id, source, work_order_no, client_id, channel, category, issue, title, content, region_code, assigned_unit,
    anonymous, caller_name, caller_phone_hash, subject_kind, subject_name, subject_id_hash, received_at, due_at,
    due_source, due_provisional, status, finding, reply, handled_at, petition_id, supervision_referred,
    created_by, created_at)
SELECT id, CASE WHEN hotline THEN 'hotline' ELSE 'staff' END,
       CASE WHEN hotline THEN 'SEED' || n END, CASE WHEN hotline THEN $4 END,
       CASE WHEN hotline THEN 'phone' ELSE 'letter' END,
       (ARRAY['complaint','report','help','consultation','suggestion'])[1 + n % 5], NULL,
       '反映低保问题', '来电人反映某户情况，请核查。', village, left(village, 9), false, '张三',
       md5('p' || n) || md5('q' || n),
       CASE WHEN n % 5 <> 0 THEN 'person' END, CASE WHEN n % 5 <> 0 THEN '王五' END,
       CASE WHEN n % 5 <> 0 THEN md5('s' || n) || md5('t' || n) END,
       received, received + interval '7 days', 'platform', false, status,
       CASE WHEN status = 'resolved' THEN 'unsubstantiated' END,
       CASE WHEN status = 'resolved' THEN '经核查，反映情况不属实。' END,
       CASE WHEN status = 'resolved' THEN received + interval '5 days' END,
       id, false, 'bench-seed', received
  FROM (
    SELECT n, id, hotline, received, village,
           CASE WHEN received < $3::timestamptz - interval '30 days' AND n % 50 <> 0 THEN 'resolved'
                ELSE (ARRAY['received','assigned','investigating','resolved'])[1 + (n / 7) % 4] END AS status
      FROM (
        SELECT n, md5('c' || n)::uuid::text AS id, n % 3 <> 0 AS hotline,
               $3::timestamptz - (random() * interval '365 days') AS received,
               '14' || lpad((c / 20 + 1)::text, 2, '0') || lpad((c % 20 + 1)::text, 2, '0')
                 || lpad((1 + n % 10)::text, 3, '0') || lpad((1 + (n / 10) % 10)::text, 3, '0') AS village
          FROM (SELECT n, n % $2 AS c FROM generate_series(1, $1) AS n) g
      ) r
  ) s
"""
_HISTORY = """
INSERT INTO complaints.status_changes (complaint_id, status, at, note, by)
SELECT c.id, h.status, c.received_at, h.note, 'bench-seed'
  FROM complaints.complaints c
 CROSS JOIN (VALUES ('received', '登记'), ('assigned', '自动交办乡镇')) AS h(status, note)
 ORDER BY c.received_at, c.id, h.status DESC
"""
# Callers of the last 60 days (inside any repeat window) get phones a work order can name.
_KNOWN = """
UPDATE complaints.complaints c SET caller_phone_hash = k.hash
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS i FROM complaints.complaints
         WHERE received_at > $2::timestamptz - interval '60 days' ORDER BY id LIMIT array_length($1::text[], 1)) t
  JOIN unnest($1::text[]) WITH ORDINALITY AS k(hash, i) ON k.i = t.i
 WHERE c.id = t.id
"""


async def seed_ledger(
    conn: asyncpg.Connection, vault: PiiVault, *, rows: int, counties: int, known: int, now: dt.datetime
) -> Seeded:
    await conn.execute(_COMPLAINTS, rows, counties, now, HOTLINE_CLIENT)
    changes = int((await conn.execute(_HISTORY)).split()[-1])
    hashes = [vault.keyed_hash(known_phone(i)) for i in range(known)]
    linked = int((await conn.execute(_KNOWN, hashes, now)).split()[-1])
    await conn.execute("ANALYZE complaints.complaints")
    await conn.execute("ANALYZE complaints.status_changes")
    return Seeded(rows, changes, counties, linked)
