"""Data for `bench.matching_feed`: a registry feed CSV of millions of rows written with NumPy, and the watch list
seeded straight into matching's tables with COPY.

Identity numbers are valid (DOMAIN.md §11: a birth date between 1940 and 2008, the MOD 11-2 check character) and
unique: person `n` gets address code `14` + the 4 digits of `(n % 10^7) // 1000`, sequence `n % 1000`, and a birth
day whose parity is `n // 10^7`, so up to 2·10^7 people never share a number, and the feed and the watch list agree
on everyone's number. Watch-list persons are `0 … P-1`;
the feed holds every tenth of them (the 10% expected to hit) and fresh people `P …` for the rest, shuffled.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import numpy as np

from services.matching.persons import PersonKeys

# Float weights: the sum is exact (below 1,000) and a float matrix product is far faster than an integer one.
_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.float32)
_CHECK = np.frombuffer(b"10X98765432", dtype=np.uint8)
MAX_PEOPLE = 2 * 10**7
HEADER = b"id_number,name,status,monthly_amount\n"
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉梅文斌宇浩凯鹏飞志海波辉俊峰春燕晓云"
_ROW_WIDTH = 48  # id 18, name ≤ 9 bytes (3 characters of 3 bytes), status ≤ 10, amount ≤ 7, three commas, newline


def _utf8_table(chars: str) -> np.ndarray:
    table = np.frombuffer(chars.encode(), dtype=np.uint8).reshape(len(chars), 3)
    assert all(len(c.encode()) == 3 for c in chars)
    return table


def _put(matrix: np.ndarray, column: int, values: np.ndarray, width: int) -> None:
    for j in range(width):
        matrix[:, column + width - 1 - j] = (values // 10**j) % 10


def id_numbers(people: np.ndarray) -> np.ndarray:
    """The identity numbers of these people (indices below MAX_PEOPLE) as an (n, 18) uint8 matrix of ASCII; the
    same person always gets the same number (the birth date is a scrambled function of the index)."""
    assert people.size == 0 or int(people.max()) < MAX_PEOPLE
    n = len(people)
    digits = np.zeros((n, 17), dtype=np.uint8)
    digits[:, 0], digits[:, 1] = 1, 4
    low = people % 10**7
    scrambled = (people * 0x9E3779B1) % 2**32
    _put(digits, 2, low // 1000, 4)
    _put(digits, 6, 1940 + scrambled % 69, 4)
    _put(digits, 10, 1 + (scrambled // 69) % 12, 2)
    _put(digits, 12, 1 + 2 * ((scrambled // 828) % 14) + people // 10**7, 2)  # 1–28: valid in every month
    _put(digits, 14, low % 1000, 3)
    out = np.empty((n, 18), dtype=np.uint8)
    out[:, :17] = digits + 48
    out[:, 17] = _CHECK[(digits.astype(np.float32) @ _WEIGHTS).astype(np.int64) % 11]
    return out


def _amounts(n: int, rng: np.random.Generator) -> np.ndarray:
    """Monthly pensions such as 1234.50 or 168.00 (rural residents' pensions are a few hundred yuan), left-aligned
    in 7 bytes, padded with NUL."""
    out = np.zeros((n, 7), dtype=np.uint8)
    yuan = rng.integers(100, 5000, n)
    fen = rng.choice(np.array([0, 50, 20, 80, 35]), n)
    four = yuan >= 1000
    width = np.where(four, 4, 3)
    for j in range(4):  # digit j from the left, where the number has that many digits
        place = np.where(four, 10 ** (3 - j), 10 ** max(2 - j, 0))
        digit = (yuan // place) % 10 + 48
        out[:, j] = np.where(j < width, digit, 0)
    point = np.where(four, 4, 3)
    rows = np.arange(n)
    out[rows, point] = ord(".")
    out[rows, point + 1] = fen // 10 + 48
    out[rows, point + 2] = fen % 10 + 48
    return out


def _feed_block(people: np.ndarray, rng: np.random.Generator) -> bytes:
    """CSV lines of the pension source for these people: rows built as fixed-width NUL-padded matrices, the NULs
    then dropped (no field holds a NUL), so variable-width lines cost no Python loop."""
    n = len(people)
    rows = np.zeros((n, _ROW_WIDTH), dtype=np.uint8)
    rows[:, 0:18] = id_numbers(people)
    rows[:, 18] = rows[:, 28] = rows[:, 39] = ord(",")
    surnames, given = _utf8_table(_SURNAMES), _utf8_table(_GIVEN)
    rows[:, 19:22] = surnames[rng.integers(0, len(surnames), n)]
    rows[:, 22:25] = given[rng.integers(0, len(given), n)]
    three = rng.random(n) < 0.7
    rows[three, 25:28] = given[rng.integers(0, len(given), int(three.sum()))]
    terminated = rng.random(n) < 0.15
    rows[~terminated, 29:35] = np.frombuffer(b"normal", dtype=np.uint8)
    rows[terminated, 29:39] = np.frombuffer(b"terminated", dtype=np.uint8)
    rows[:, 40:47] = np.where(terminated[:, None], 0, _amounts(n, rng))  # a terminated pension pays nothing
    rows[:, 47] = ord("\n")
    flat = rows.ravel()
    kept: bytes = flat[flat != 0].tobytes()
    return kept


@dataclass(frozen=True)
class FeedFile:
    path: Path
    rows: int
    watched_rows: int  # rows naming a person of the watch list
    bytes: int


def write_feed(path: Path, persons: int, rows: int, seed: int = 5, block: int = 1_000_000) -> FeedFile:
    """The pension feed: every tenth watch-list person plus fresh people up to `rows`, in random order."""
    watched = np.arange(0, persons, 10, dtype=np.int64)[:rows]
    fresh = np.arange(persons, persons + rows - len(watched), dtype=np.int64)
    rng = np.random.default_rng(seed)
    people = rng.permutation(np.concatenate([watched, fresh]))
    with path.open("wb") as out:
        out.write(HEADER)
        for start in range(0, rows, block):
            out.write(_feed_block(people[start : start + block], rng))
    return FeedFile(path, rows, len(watched), path.stat().st_size)


def watch_ids(persons: int) -> np.ndarray:
    """The watch list's identity numbers, (persons, 18) uint8."""
    return id_numbers(np.arange(persons, dtype=np.int64))


@dataclass(frozen=True)
class WatchList:
    households: int
    members: int


def _region_codes(n: int, rng: np.random.Generator) -> list[str]:
    # Villages of one province (Shanxi, 14): city 01–11, county 01–20, township 001–020, village 001–030.
    city, county = rng.integers(1, 12, n), rng.integers(1, 21, n)
    township, village = rng.integers(1, 21, n), rng.integers(1, 31, n)
    return [f"14{c:02d}{k:02d}{t:03d}{v:03d}" for c, k, t, v in zip(city, county, township, village, strict=True)]


async def seed_watch_list(conn: asyncpg.Connection, keys: PersonKeys, ids: np.ndarray, seed: int = 7) -> WatchList:
    """Dibao households of 1–4 members holding these people, each with an open-ended entitlement, COPied into
    matching's watch tables as the event handlers would have left them (people rows are not needed for hits)."""
    rng = np.random.default_rng(seed)
    persons = len(ids)
    sizes = rng.integers(1, 5, persons // 2 + 1)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, persons)) + 1
    sizes = sizes[:count].copy()
    sizes[-1] -= int(ends[count - 1]) - persons
    household_of = np.repeat(np.arange(count), sizes)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    position = np.arange(persons) - np.repeat(starts, sizes)
    household_ids = [str(uuid.UUID(bytes=bytes(b), version=4)) for b in rng.integers(0, 256, (count, 16), np.uint8)]
    regions = _region_codes(count, rng)
    now = datetime.now(UTC).isoformat()
    people = keys.hex_keys(ids.tobytes())
    relations = np.array(["head", "spouse", "child", "child"])[np.minimum(position, 3)]
    households = "".join(
        f"{h},{r},false,{s},{now}\n" for h, r, s in zip(household_ids, regions, sizes.tolist(), strict=True)
    )
    entitlements = "".join(f"{uuid.uuid4()},{h},dibao,true,\n" for h in household_ids)
    members = "".join(
        f"{household_ids[h]},{p},{rel}\n"
        for h, p, rel in zip(household_of.tolist(), people, relations.tolist(), strict=True)
    )
    tables = {
        "watch_households": (households, ["household_id", "region_code", "closed", "size", "members_as_of"]),
        "watch_entitlements": (
            entitlements,
            ["entitlement_id", "household_id", "program", "open_ended", "last_paid_month"],
        ),
        "watch_members": (members, ["household_id", "person", "relation"]),
    }
    for table, (data, columns) in tables.items():
        await conn.copy_to_table(
            table, schema_name="matching", columns=columns, source=io.BytesIO(data.encode()), format="csv"
        )
        # As autovacuum would have by the time a feed comes: the planner needs the watch list's size.
        await conn.execute(f"ANALYZE matching.{table}")
    return WatchList(count, persons)
