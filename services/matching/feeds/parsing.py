"""One block of a feed, CSV or NDJSON, into columns of strings with the row number of each line.

The fast path hands the block to Arrow's C++ readers. When the block is not clean (a row with the wrong number of
fields, a line that is not a JSON object, a blank line, a value of an unexpected JSON type) it is read again line by
line in Python, so every bad line is named by its number and every good line still loads. Rows are numbered from 1
at the first line after the CSV header (NDJSON: the first line).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import orjson
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json


class BodyFormat(StrEnum):
    CSV = "text/csv"
    NDJSON = "application/x-ndjson"


@dataclass
class ParsedBlock:
    # One string array per wanted column (null where a line lacks it), aligned with `rows`.
    columns: dict[str, pa.Array]
    rows: np.ndarray
    # Lines that could not be read at all: (row, reason).
    rejects: list[tuple[int, str]] = field(default_factory=list)
    lines: int = 0


def _line_count(block: bytes) -> int:
    return block.count(b"\n") + (0 if block.endswith(b"\n") else 1)


def parse_block(block: bytes, fmt: BodyFormat, header: list[str], wanted: list[str], first_row: int) -> ParsedBlock:
    lines = _line_count(block)
    fast = _fast_csv(block, header, wanted) if fmt is BodyFormat.CSV else _fast_ndjson(block, wanted)
    if fast is not None and len(fast[wanted[0]]) == lines:
        return ParsedBlock(fast, np.arange(first_row, first_row + lines, dtype=np.int64), lines=lines)
    parsed = _slow(block, fmt, header, wanted, first_row)
    parsed.lines = lines
    return parsed


def _fast_csv(block: bytes, header: list[str], wanted: list[str]) -> dict[str, pa.Array] | None:
    clean = True

    def invalid(_row: Any) -> str:
        nonlocal clean
        clean = False
        return "skip"

    try:
        table = pa_csv.read_csv(
            pa.py_buffer(block),
            read_options=pa_csv.ReadOptions(column_names=header, use_threads=True, block_size=1 << 22),
            parse_options=pa_csv.ParseOptions(invalid_row_handler=invalid),
            convert_options=pa_csv.ConvertOptions(
                # Wanted columns the header lacks (optional ones) would otherwise come back of the null type.
                column_types=dict.fromkeys([*header, *wanted], pa.string()),
                include_columns=wanted,
                include_missing_columns=True,
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if not clean:
        return None
    return {name: table.column(name).combine_chunks() for name in wanted}


def _fast_ndjson(block: bytes, wanted: list[str]) -> dict[str, pa.Array] | None:
    schema = pa.schema([(name, pa.string()) for name in wanted])
    try:
        table = pa_json.read_json(
            pa.py_buffer(block),
            read_options=pa_json.ReadOptions(use_threads=True, block_size=1 << 22),
            parse_options=pa_json.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore"),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    return {name: table.column(name).combine_chunks() for name in wanted}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError


def _slow(block: bytes, fmt: BodyFormat, header: list[str], wanted: list[str], first_row: int) -> ParsedBlock:
    values: dict[str, list[str | None]] = {name: [] for name in wanted}
    rows: list[int] = []
    rejects: list[tuple[int, str]] = []
    positions = [header.index(name) if name in header else -1 for name in wanted]
    lines = _line_count(block)
    for offset, raw in enumerate(block.split(b"\n")):
        number = first_row + offset
        line = raw.rstrip(b"\r")
        if not line.strip():
            if offset < lines:
                rejects.append((number, "empty_row"))
            continue
        try:
            text = line.decode("utf-8")
            if fmt is BodyFormat.CSV:
                fields = next(csv.reader(io.StringIO(text)))
                if len(fields) != len(header):
                    raise ValueError
                picked = [fields[p] if p >= 0 else None for p in positions]
            else:
                obj = orjson.loads(text)
                if not isinstance(obj, dict):
                    raise TypeError
                picked = [_text(obj.get(name)) for name in wanted]
        except (ValueError, TypeError, StopIteration, csv.Error, orjson.JSONDecodeError):
            rejects.append((number, "malformed_row"))
            continue
        rows.append(number)
        for name, value in zip(wanted, picked, strict=True):
            values[name].append(value)
    columns = {name: pa.array(column, pa.string()) for name, column in values.items()}
    return ParsedBlock(columns, np.array(rows, dtype=np.int64), rejects)
