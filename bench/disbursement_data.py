"""Data for `bench.disbursement_roster`: one county's ledger of a million households, COPied straight into
disbursement's tables as the event handlers would have left them (DOMAIN.md §9).

Seeding through a million `entitlement-changed` events would take far longer than the benchmark itself, so the rows
are written as `ledger/service.py` and `accounts/service.py` leave them after one event per household: the county's
ledger at version 1, a clean entitlement (`dirty_from` NULL, one member hash), one open-ended active schedule segment,
a working bank account. Personal data is protected as the service protects it (DOMAIN.md §11), with the deployment's
PII key: the payee's identity number sealed under `disbursement/payee-id-number`, the account number under
`BANK_ACCOUNT_SEAL_CONTEXT`, both keyed-hashed, and the payee's part of a CSV row ("id_number,bank_code,account_no",
`Entitlement.export_sealed`) sealed under `disbursement/payee-export`, so the lock's export opens them as it would
open real ones.

Beside the paid households: a few held ones (death, suspension, failed account; each left off the roster), released
suspensions on paid households (history the hold look-up must skip), and a per-member one-off batch for the roster's
month in one township, so the build's one-off and hold paths do real work.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import asyncpg
import numpy as np

from bench.matching_data import id_numbers
from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT, mask_account
from libs.kernel.pii import PiiVault
from services.disbursement.context import ID_NUMBER_CONTEXT, PAYEE_EXPORT_CONTEXT

SCHEMA = "disbursement"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉梅文斌宇浩凯鹏飞志海波辉俊峰春燕晓云"
# Most households are 低保; some 特困 (dispersed) and disability living subsidies, as a county's roster mixes them.
_PROGRAMS = np.array(["dibao", "tekun_dispersed", "disability_living"])
_PROGRAM_SHARE = [0.85, 0.10, 0.05]
_BANKS = np.array(["RCC", "PSBC", "ABC", "ICBC", "CCB", "BOC"])
ONE_OFF_FEN = 10_000  # 100.00 a member: a price-linked temporary subsidy (价格临时补贴) for township 001
_HOLD_KINDS = ("death", "suspension", "account")
_HOLD_REASONS = {
    "death": "死亡 death detected (bench seed)",
    "suspension": "暂停 suspended by the county (bench seed)",
    "account": "账户失败 account failed (bench seed)",
}

_ENTITLEMENT_COLUMNS = [
    "entitlement_id", "household_id", "region_code", "county_code", "program", "status", "payee_name",
    "payee_id_sealed", "payee_hash", "export_sealed", "member_count", "member_hashes", "members_as_of", "case_id",
    "dirty_from", "changed_at",
]  # fmt: skip
_SEGMENT_COLUMNS = ["entitlement_id", "first_month", "last_month", "status", "due_fen", "origin"]
_ACCOUNT_COLUMNS = [
    "household_id", "county_code", "bank_code", "holder_name", "account_no_masked", "account_no_sealed",
    "account_hash", "source_ref", "origin", "status", "failure_reason", "failed_at", "updated_at", "updated_by",
]  # fmt: skip
_HOLD_COLUMNS = [
    "id", "household_id", "county_code", "program", "kind", "reason", "person_hash", "from_month", "created_at",
    "created_by", "released_at", "released_by", "release_reason",
]  # fmt: skip


@dataclass
class Seeded:
    """What the roster built from the seed must come to (checked against the service's answer)."""

    county: str
    households: int = 0
    lines: int = 0  # households not held: one line each
    total_fen: int = 0  # regular amounts plus the one-off
    one_off_lines: int = 0
    one_off_fen: int = 0
    held: Counter[str] = field(default_factory=Counter)
    released_holds: int = 0


def _uuids(rng: np.random.Generator, n: int) -> list[str]:
    return [str(uuid.UUID(bytes=bytes(b), version=4)) for b in rng.integers(0, 256, (n, 16), np.uint8)]


def _names(rng: np.random.Generator, n: int) -> list[str]:
    surname = rng.integers(0, len(_SURNAMES), n).tolist()
    first = rng.integers(0, len(_GIVEN), n).tolist()
    second = np.where(rng.random(n) < 0.7, rng.integers(0, len(_GIVEN), n), -1).tolist()
    return [
        _SURNAMES[s] + _GIVEN[f] + (_GIVEN[t] if t >= 0 else "") for s, f, t in zip(surname, first, second, strict=True)
    ]


async def seed_county(
    conn: asyncpg.Connection,
    vault: PiiVault,
    *,
    county: str,
    month: dt.date,
    lines: int,
    held: int,
    block: int = 100_000,
    seed: int = 6,
) -> Seeded:
    """`lines + held` households of `county` (villages `county` + township 001–020 + village 001–030), each with one
    entitlement paying 300.00–900.00 from January 2026 on; the `held` households get an active hold of each kind in
    turn (an `account` hold with its account marked failed, as a failed payment leaves it)."""
    rng = np.random.default_rng(seed)
    now = dt.datetime.now(dt.UTC)
    seeded = Seeded(county)
    households = lines + held
    seeded.households = households
    seal_id, seal_account = _sealer(vault, ID_NUMBER_CONTEXT), _sealer(vault, BANK_ACCOUNT_SEAL_CONTEXT)
    seal_payee = _sealer(vault, PAYEE_EXPORT_CONTEXT)
    digest = vault.keyed_digester()
    # Held households are spread over the county: every k-th household, so they sit among the paid ones.
    is_held = np.zeros(households, dtype=bool)
    is_held[np.linspace(0, households - 1, held, dtype=np.int64)] = True
    held_seen = 0
    township_one = f"{county}001"
    for start in range(0, households, block):
        n = min(block, households - start)
        index = np.arange(start, start + n, dtype=np.int64)
        ids = [row.tobytes().decode() for row in id_numbers(index)]
        households_ids, entitlement_ids, refs = _uuids(rng, n), _uuids(rng, n), _uuids(rng, n)
        townships, villages = rng.integers(1, 21, n).tolist(), rng.integers(1, 31, n).tolist()
        regions = [f"{county}{t:03d}{v:03d}" for t, v in zip(townships, villages, strict=True)]
        programs = rng.choice(_PROGRAMS, n, p=_PROGRAM_SHARE).tolist()
        members = rng.integers(1, 5, n).tolist()
        due = (rng.integers(300, 901, n) * 100 + rng.choice([0, 50], n)).tolist()  # fen: 300.00–900.50
        banks = rng.choice(_BANKS, n).tolist()
        names = _names(rng, n)
        held_here = is_held[start : start + n].tolist()
        entitlements, segments, accounts, holds = [], [], [], []
        for j in range(n):
            person = digest(ids[j].encode()).hex()
            number = f"62170{start + j:014d}"  # 19 digits, unique: no shared-account warnings
            hold_kind = _HOLD_KINDS[held_seen % 3] if held_here[j] else None
            entitlements.append((
                entitlement_ids[j], households_ids[j], regions[j], county, programs[j], "active", names[j],
                seal_id(ids[j]), person, seal_payee(f"{ids[j]},{banks[j]},{number}"), members[j], [person], now, None,
                None, now,
            ))  # fmt: skip
            segments.append((entitlement_ids[j], dt.date(2026, 1, 1), None, "active", due[j], "casework"))
            failed = hold_kind == "account"
            accounts.append((
                households_ids[j], county, banks[j], names[j], mask_account(number), seal_account(number),
                digest(number.encode()).hex(), refs[j], "casework", "failed" if failed else "ok",
                "账户已销户 account closed" if failed else None, now if failed else None, now, "casework",
            ))  # fmt: skip
            if hold_kind is not None:
                held_seen += 1
                seeded.held[hold_kind] += 1
                holds.append(_hold(households_ids[j], county, hold_kind, person, month, now))
                continue
            seeded.lines += 1
            seeded.total_fen += due[j]
            if programs[j] == "dibao" and regions[j].startswith(township_one):
                seeded.one_off_lines += 1
                seeded.one_off_fen += ONE_OFF_FEN * members[j]
            if j % 1000 == 500:  # a suspension placed and released long ago: history the hold look-up skips
                holds.append(_hold(households_ids[j], county, "suspension", None, month, now, released=True))
                seeded.released_holds += 1
        await _copy(conn, "entitlements", entitlements, _ENTITLEMENT_COLUMNS)
        await _copy(conn, "schedule_segments", segments, _SEGMENT_COLUMNS)
        await _copy(conn, "bank_accounts", accounts, _ACCOUNT_COLUMNS)
        await _copy(conn, "holds", holds, _HOLD_COLUMNS)
    seeded.total_fen += seeded.one_off_fen
    await conn.execute(
        """INSERT INTO disbursement.county_ledgers (region_code, version, first_period, changed_at)
           VALUES ($1, 1, NULL, $2)""",
        county,
        now,
    )
    await conn.execute(
        """INSERT INTO disbursement.one_off_batches
               (id, name, program, region_prefix, period, basis, amount_fen, created_at, created_by)
           VALUES ($1, '价格临时补贴 price-linked subsidy', 'dibao', $2, $3, 'per_member', $4, $5, 'bench')""",
        str(uuid.uuid4()),
        township_one,
        month,
        ONE_OFF_FEN,
        now,
    )
    # As autovacuum would have by the time a roster is built: the planner needs the tables' sizes.
    for table in ("entitlements", "schedule_segments", "bank_accounts", "holds", "county_ledgers", "one_off_batches"):
        await conn.execute(f"VACUUM ANALYZE {SCHEMA}.{table}")
    return seeded


def _hold(
    household_id: str,
    county: str,
    kind: str,
    person: str | None,
    month: dt.date,
    now: dt.datetime,
    *,
    released: bool = False,
) -> tuple[object, ...]:
    return (
        str(uuid.uuid4()), household_id, county, None, kind, _HOLD_REASONS[kind], person if kind == "death" else None,
        month if kind == "death" else None, now, "bench", now if released else None, "bench" if released else None,
        "resolved (bench seed)" if released else None,
    )  # fmt: skip


def _sealer(vault: PiiVault, context: str) -> Callable[[str], str]:
    def seal(value: str) -> str:
        return vault.encrypt(value, context=context)

    return seal


async def _copy(
    conn: asyncpg.Connection, table: str, records: Sequence[tuple[object, ...]], columns: list[str]
) -> None:
    if records:
        await conn.copy_records_to_table(table, schema_name=SCHEMA, records=records, columns=columns)
