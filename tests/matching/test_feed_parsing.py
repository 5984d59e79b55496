"""The feed pipeline's pure parts, without a database: blocks of whole lines, parsing (Arrow fast path against the
Python slow path), identity numbers checked in bulk against the contract's parser (DOMAIN.md §11), row checks and
name masking (CONTRACTS.md §5)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import AsyncIterator

import pyarrow as pa
import pytest

from libs.contracts.clock import china_today
from libs.contracts.id_number import IdNumber, InvalidIdNumber, mask_name
from libs.kernel.pii import PiiVault
from services.matching.feeds.blocks import UnframedBody, line_blocks, split_header
from services.matching.feeds.idnumbers import normalise_ids
from services.matching.feeds.parsing import BodyFormat, ParsedBlock, _fast_csv, _fast_ndjson, _slow, parse_block
from services.matching.feeds.validation import _mask_names
from services.matching.persons import PersonKeys
from tests.matching.feed_support import check_lines
from tests.support.id_numbers import make_id

VEHICLE = ["id_number", "name", "plate", "vehicle_type", "registered_at", "deregistered"]
PRISON = ["id_number", "name", "start_date", "end_date"]
ID = make_id(dt.date(1980, 1, 2))


# --- blocks -------------------------------------------------------------------------------------------------------


async def _chunks(body: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


async def _blocks(body: bytes, chunk: int, size: int) -> list[bytes]:
    return [b async for b in line_blocks(_chunks(body, chunk), size, max_line=1 << 20)]


LINES = b"".join(f"row {i:04d},{'x' * (i % 13)}\n".encode() for i in range(200))


@pytest.mark.parametrize("chunk", [1, 7, 1000, len(LINES)])
@pytest.mark.parametrize("size", [1, 100, 1000])
@pytest.mark.parametrize("final_newline", [True, False])
async def test_line_blocks_keep_every_line_whole(chunk: int, size: int, final_newline: bool) -> None:
    body = LINES if final_newline else LINES.rstrip(b"\n")
    blocks = await _blocks(body, chunk, size)
    assert b"".join(blocks) == body
    assert all(blocks)
    # Every block but the last ends a line, so no row is ever split between two blocks.
    assert all(b.endswith(b"\n") for b in blocks[:-1])
    assert blocks[-1].endswith(b"\n") == final_newline
    if len(body) > 2 * size and chunk < size:
        assert len(blocks) > 1


async def test_line_blocks_hold_a_line_longer_than_the_block_size() -> None:
    body = b"a" * 10_000 + b"\nb\n"
    assert await _blocks(body, 1, 16) == [b"a" * 10_000 + b"\n", b"b\n"]
    assert await _blocks(body, 7, 16) == [body]


@pytest.mark.parametrize("chunk", [1000, 100_000])
async def test_a_line_longer_than_any_row_cannot_be_framed(chunk: int) -> None:
    # One "row" of 300 KB with no line end (a binary file, or a body that is not CSV at all): refused, not held.
    body = b"id_number,name\n" + b"x" * 300_000
    with pytest.raises(UnframedBody):
        [b async for b in line_blocks(_chunks(body, chunk), 4096, max_line=100_000)]
    with pytest.raises(UnframedBody):
        [b async for b in line_blocks(_chunks(body + b"\nrow\n", chunk), 4096, max_line=100_000)]
    fits = [b async for b in line_blocks(_chunks(body + b"\n", chunk), 4096, max_line=400_000)]
    assert b"".join(fits) == body + b"\n"


async def test_line_blocks_of_nothing_or_blanks_yield_nothing() -> None:
    assert await _blocks(b"", 5, 16) == []
    assert await _blocks(b"  \r\n", 5, 16) == []


@pytest.mark.parametrize(
    ("block", "header", "rest"),
    [
        (b"a,b\nrow\n", b"a,b", b"row\n"),
        (b"a,b\r\nrow\r\n", b"a,b", b"row\r\n"),
        (b"a,b", b"a,b", b""),
    ],
)
def test_split_header(block: bytes, header: bytes, rest: bytes) -> None:
    assert split_header(block) == (header, rest)


# --- parsing ------------------------------------------------------------------------------------------------------


def _columns(parsed: ParsedBlock) -> dict[str, list[str | None]]:
    return {name: column.to_pylist() for name, column in parsed.columns.items()}


CLEAN = [
    pytest.param(
        BodyFormat.CSV, VEHICLE, VEHICLE, f"{ID},张三,晋D1,car,2020-01-01,false\n{ID},李四,晋D2,truck,,true\n", id="csv"
    ),
    pytest.param(BodyFormat.CSV, VEHICLE, VEHICLE, f'{ID},"张,三","晋D ""1""",car,2020-01-01,false\n', id="csv-quoted"),
    pytest.param(BodyFormat.CSV, VEHICLE, VEHICLE, f"{ID},张三,晋D1,car,2020-01-01,false\r\n" * 3, id="csv-crlf"),
    pytest.param(BodyFormat.CSV, VEHICLE, VEHICLE, f"{ID},张三,晋D1,car,2020-01-01,false", id="csv-no-final-newline"),
    pytest.param(
        BodyFormat.CSV, ["note", *PRISON[:3]], PRISON, f"extra,{ID},王五,2024-02-03\n", id="csv-extra-and-optional"
    ),
    pytest.param(
        BodyFormat.NDJSON,
        [],
        PRISON,
        f'{{"id_number":"{ID}","name":"王五","start_date":"2024-02-03","other":"x"}}\n'
        f'{{"name":"赵六","id_number":"{ID}","start_date":"2024-02-04","end_date":"2025-01-01"}}\n',
        id="ndjson",
    ),
]


@pytest.mark.parametrize(("fmt", "header", "wanted", "text"), CLEAN)
def test_fast_and_slow_paths_read_a_clean_block_alike(
    fmt: BodyFormat, header: list[str], wanted: list[str], text: str
) -> None:
    block = text.encode()
    fast = _fast_csv(block, header, wanted) if fmt is BodyFormat.CSV else _fast_ndjson(block, wanted)
    assert fast is not None  # the block really is clean: Arrow read it
    parsed = parse_block(block, fmt, header, wanted, 41)
    slow = _slow(block, fmt, header, wanted, 41)
    assert _columns(parsed) == _columns(slow)
    assert all(column.type == pa.string() for column in [*parsed.columns.values(), *slow.columns.values()])
    assert parsed.rows.tolist() == slow.rows.tolist() == list(range(41, 41 + parsed.lines))
    assert parsed.rejects == slow.rejects == []


def test_fast_path_keeps_quoted_commas_and_missing_optional_columns() -> None:
    block = f'{ID},"张,三","晋D ""1""",car,2020-01-01,false\n'.encode()
    parsed = parse_block(block, BodyFormat.CSV, VEHICLE, VEHICLE, 1)
    assert _columns(parsed)["name"] == ["张,三"]
    assert _columns(parsed)["plate"] == ['晋D "1"']
    prison = parse_block(f"{ID},王五,2024-02-03\n".encode(), BodyFormat.CSV, PRISON[:3], PRISON, 1)
    assert _columns(prison)["end_date"] == [None]


DIRTY = [
    pytest.param(BodyFormat.CSV, b"ok\ntoo,many,fields,,,,\nok\n", [(11, "malformed_row")], 2, id="too-many"),
    pytest.param(BodyFormat.CSV, b"ok\nok\nfew,fields\n", [(12, "malformed_row")], 2, id="too-few"),
    pytest.param(BodyFormat.CSV, b"ok\n\nok\n   \nok\n", [(11, "empty_row"), (13, "empty_row")], 3, id="blank"),
    pytest.param(BodyFormat.CSV, b"ok\n\xff\xfe,a,b,c,d,e\n", [(11, "malformed_row")], 1, id="not-utf8"),
    pytest.param(BodyFormat.NDJSON, b"ok\nnot json\nok\n", [(11, "malformed_row")], 2, id="not-json"),
    pytest.param(BodyFormat.NDJSON, b"[1, 2]\nok\n", [(10, "malformed_row")], 1, id="array"),
    pytest.param(BodyFormat.NDJSON, b'ok\n{"name": {"first": "x"}}\n', [(11, "malformed_row")], 1, id="nested"),
    pytest.param(BodyFormat.NDJSON, b"ok\n\nok\n", [(11, "empty_row")], 2, id="ndjson-blank"),
]


@pytest.mark.parametrize(("fmt", "text", "rejects", "good"), DIRTY)
def test_a_dirty_block_names_each_bad_line(
    fmt: BodyFormat, text: bytes, rejects: list[tuple[int, str]], good: int
) -> None:
    ok = (
        f"{ID},张三,晋D1,car,2020-01-01,false"
        if fmt is BodyFormat.CSV
        else f'{{"id_number":"{ID}","name":"张三","plate":"晋D1"}}'
    )
    block = text.replace(b"ok", ok.encode())
    parsed = parse_block(block, fmt, VEHICLE if fmt is BodyFormat.CSV else [], VEHICLE, 10)
    assert parsed.rejects == rejects
    assert len(parsed.rows) == good
    assert parsed.lines == good + len(rejects)
    assert sorted([*parsed.rows.tolist(), *(row for row, _ in rejects)]) == list(range(10, 10 + parsed.lines))
    assert _columns(parsed)["id_number"] == [ID] * good


def test_ndjson_booleans_and_numbers_become_text() -> None:
    block = f'{{"id_number":"{ID}","name":"张三","deregistered":true,"monthly_amount":1234.5,"plate":7}}\n'.encode()
    parsed = parse_block(block, BodyFormat.NDJSON, [], ["id_number", "deregistered", "monthly_amount", "plate"], 1)
    assert _columns(parsed) == {
        "id_number": [ID],
        "deregistered": ["true"],
        "monthly_amount": ["1234.5"],
        "plate": ["7"],
    }


# --- identity numbers ---------------------------------------------------------------------------------------------


def _check(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return "10X98765432"[total % 11]


def _generated(seed: int = 20261123) -> list[str | None]:
    """A few hundred numbers as registries send them: valid ones in every accepted form, and corrupted ones."""
    rng = random.Random(seed)
    today = china_today()
    out: list[str | None] = [None, "", " ", "X" * 18, "１" * 18, "张三李四王五赵六", "张三李四王"]
    for boundary in (today, today + dt.timedelta(days=1), dt.date(1900, 1, 1), dt.date(1899, 12, 31)):
        first17 = f"110105{boundary:%Y%m%d}001"
        out.append(first17 + _check(first17))
    for _ in range(60):
        born = dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange((today - dt.date(1900, 1, 1)).days + 1))
        first17 = f"{rng.randrange(110000, 660000):06d}{born:%Y%m%d}{rng.randrange(1000):03d}"
        good = first17 + _check(first17)
        wrong = good[:17] + rng.choice([c for c in "0123456789X" if c != good[17]])
        legacy = first17[:6] + first17[8:17]  # the 15-digit card of someone born in the 1900s (or not)
        out += [
            good,
            good.lower(),
            wrong,
            good[:17],
            good + "1",
            " ".join([good[:6], good[6:14], good[14:]]),
            f"\t{good}\u3000",
            good[:6] + "\xa0" + good[6:],
            legacy,
            legacy[:14] + "A",
            good[:10] + "13" + good[12:17] + _check(good[:10] + "13" + good[12:17]),  # month 13
            good[:12] + "32" + good[14:17] + _check(good[:12] + "32" + good[14:17]),  # day 32
            good[:3] + "a" + good[4:],
        ]
    # 29 February: real only in leap years; 1900 was not one.
    for year in (1900, 1996, 2000, 2001, 2100 if today.year >= 2100 else 2023):
        first17 = f"650102{year}0229123"
        out.append(first17 + _check(first17))
    return out


def _contract(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return IdNumber.parse(raw).value
    except InvalidIdNumber:
        return None


def test_bulk_identity_check_agrees_with_the_contract() -> None:
    raw = _generated()
    assert len(raw) > 500
    valid, packed = normalise_ids(pa.array(raw, pa.string()), china_today())
    expected = [_contract(r) for r in raw]
    disagree = [(r, bool(v), e) for r, v, e in zip(raw, valid, expected, strict=True) if bool(v) != (e is not None)]
    assert disagree == []
    canonical = [bytes(packed[i]).decode() for i in range(len(raw)) if valid[i]]
    assert canonical == [e for e in expected if e is not None]
    # Both kinds are really present, so agreement is not trivial.
    assert 200 < sum(valid) < len(raw) - 200


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("11010519491231002x", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("110105491231002", "11010519491231002X"),  # GB 11643-1989 card: "19" inserted, check appended
        ("11010519491231002X", "11010519491231002X"),
    ],
)
def test_accepted_forms_become_the_canonical_number(raw: str, canonical: str) -> None:
    valid, packed = normalise_ids(pa.array([raw]), china_today())
    assert valid.tolist() == [True]
    assert bytes(packed[0]).decode() == canonical == IdNumber.parse(raw).value


def test_bulk_check_works_on_a_sliced_array() -> None:
    # Arrow hands the checker slices of bigger arrays (offset > 0): the packed matrix must follow the slice.
    raw = pa.array(["junk", ID, "11010519491231002x", "bad"])[1:3]
    valid, packed = normalise_ids(raw, china_today())
    assert valid.tolist() == [True, True]
    assert [bytes(r).decode() for r in packed] == [ID, "11010519491231002X"]


# --- names and row checks -----------------------------------------------------------------------------------------


NAMES = ["张", "张三", "张三丰", "欧阳娜娜", "司马相如君", "𠮷", "𠮷野", "李𠮷𠮷x", "Li", "Ann Lee"]


@pytest.mark.parametrize("name", NAMES)
def test_bulk_name_mask_is_the_contract_mask(name: str) -> None:
    assert _mask_names(pa.array([name])).to_pylist() == [mask_name(name)]


def test_each_row_gets_its_first_reason_in_column_order() -> None:
    good = f"{ID},张三丰,晋D1,CAR,2020-01-01,TRUE"
    lines = [
        good,
        f"{ID[:17]}{'0' if ID[17] != '0' else '1'},,,bike,never,maybe",  # every column bad: the id is named
        f"{ID}, ,晋D1,car,2020-01-01,false",
        f"{ID},张三,,car,2020-01-01,false",
        f"{ID},张三,晋D1,,2020-01-01,false",
        f"{ID},张三,晋D1,bike,2020-01-01,false",
        f"{ID},张三,晋D1,car,2020-02-30,false",
        f"{ID},张三,晋D1,car,,false",
        f"{ID},张三,晋D1,car,2020-01-01,",
        f"{ID},张三,晋D1,car,2020-01-01,yes",
    ]
    rows, rejects = check_lines("vehicle", VEHICLE, lines)
    assert rejects == [
        (2, "invalid_id_number"),
        (3, "missing_name"),
        (4, "missing_plate"),
        (5, "missing_vehicle_type"),
        (6, "invalid_vehicle_type"),
        (7, "invalid_registered_at"),
        (8, "missing_registered_at"),
        (9, "missing_deregistered"),
        (10, "invalid_deregistered"),
    ]
    assert len(rows) == 1
    row = rows[0]
    key = PersonKeys(PiiVault("unit-test-secret")).of(ID)
    assert (row["row_no"], row["person"], row["name_masked"]) == ("1", key.hex, "张*丰")
    assert (row["vehicle_type"], row["registered_at"], row["deregistered"]) == ("car", "2020-01-01", "true")
    assert ID not in checked_text(rows)


def checked_text(rows: list[dict[str, str]]) -> str:
    return "".join(str(v) for row in rows for v in row.values())


@pytest.mark.parametrize(
    ("amount", "fen", "reason"),
    [
        ("1234.56", "123456", None),
        ("0.5", "50", None),
        ("100", "10000", None),
        (" 7.10 ", "710", None),
        ("", "", None),  # optional
        ("12.345", None, "invalid_monthly_amount"),
        ("-1", None, "invalid_monthly_amount"),
        ("1e3", None, "invalid_monthly_amount"),
        ("1,000", None, "invalid_monthly_amount"),
    ],
)
def test_money_is_stored_in_fen(amount: str, fen: str | None, reason: str | None) -> None:
    header = ["id_number", "name", "status", "monthly_amount"]
    rows, rejects = check_lines("pension", header, [f'{ID},张三,Normal,"{amount}"'])
    if reason is None:
        assert rejects == []
        assert (rows[0]["status"], rows[0]["monthly_amount_fen"]) == ("normal", fen)
    else:
        assert (rows, rejects) == ([], [(1, reason)])


@pytest.mark.parametrize(
    ("day", "stored", "reason"),
    [
        ("2020-02-29", "2020-02-29", None),
        (" 2024-12-31 ", "2024-12-31", None),
        ("1900-01-01", "1900-01-01", None),
        # Real days no record can bear (issue 17: a death in year 1 or 9999 was a hold, or a 500 further on).
        ("0001-01-01", None, "invalid_start_date"),
        ("1899-12-31", None, "invalid_start_date"),
        ("9999-12-31", None, "invalid_start_date"),
        ("2100-01-01", None, "invalid_start_date"),
        ("2021-02-29", None, "invalid_start_date"),  # not a leap year: not rolled over to 1 March
        ("2020-04-31", None, "invalid_start_date"),
        ("2020-13-01", None, "invalid_start_date"),
        ("0000-01-01", None, "invalid_start_date"),  # PostgreSQL has no year 0: it would fail the whole COPY
        ("2020-1-5", None, "invalid_start_date"),  # YYYY-MM-DD (sources.py)
        ("20200105", None, "invalid_start_date"),
        ("2020/01/05", None, "invalid_start_date"),
        ("", None, "missing_start_date"),
    ],
)
def test_dates_are_real_calendar_days(day: str, stored: str | None, reason: str | None) -> None:
    rows, rejects = check_lines("prison", PRISON[:3], [f"{ID},王五,{day}"])
    assert [r["start_date"] for r in rows] == ([stored] if stored else [])
    assert rejects == ([(1, reason)] if reason else [])
