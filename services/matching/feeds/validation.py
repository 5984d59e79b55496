"""A parsed block checked row by row, all at once: what loads (as COPY input) and what is rejected, with why.

Each rejected row gets the first reason found, in column order: `invalid_id_number`, `missing_name`, then per field
`missing_<field>` or `invalid_<field>` (a date that is not a real one between 1900-01-01 and 2099-12-31 is invalid),
or `future_<field>` (a date of an event that has happened, after tomorrow). Names are stripped of invisible
characters (libs.contracts.text.clean_line) before anything else.

Accepted rows carry the person's key (never the number), the masked name and the source's fields in their stored
form (dates, booleans, money in fen).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from libs.contracts.dates import EARLIEST_DATE, LATEST_DATE
from services.matching.feeds.idnumbers import normalise_ids
from services.matching.feeds.parsing import ParsedBlock
from services.matching.persons import PersonKeys
from services.matching.sources import FieldKind, FieldSpec, SourceSpec

# A registry in another time zone, or one sending at midnight, may date an event tomorrow (libs.contracts.dates).
_CLOCK_SLACK = dt.timedelta(days=1)
_MONEY = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
_MAX_TEXT = 200
_EARLIEST = EARLIEST_DATE.isoformat()
_LATEST = LATEST_DATE.isoformat()
# libs.contracts.text.clean_line for whole columns, in RE2's syntax: invisible characters (controls, bidirectional
# overrides and isolates, zero-width ones, the byte-order mark) removed, line breaks and tabs as one space.
INVISIBLE = (
    r"[\x{0}-\x{8}\x{b}-\x{1f}\x{7f}-\x{9f}\x{61c}\x{180e}\x{200b}-\x{200f}\x{202a}-\x{202e}"
    r"\x{2060}-\x{2064}\x{2066}-\x{2069}\x{feff}]"
)
LINE_BREAKS = r"[\t\n\r\x{2028}\x{2029}]+"


@dataclass
class CheckedBlock:
    copy_data: bytes  # CSV for COPY, columns in `copy_columns(spec)` order
    loaded: int
    rejects: list[tuple[int, str]]
    lines: int = 0  # lines of the body the block held, good or bad


def copy_columns(spec: SourceSpec) -> list[str]:
    return ["row_no", "person", "name_masked", *_stored_names(spec)]


def _stored_names(spec: SourceSpec) -> list[str]:
    return [("monthly_amount_fen" if f.kind is FieldKind.MONEY else f.name) for f in spec.fields]


class _Reasons:
    """The first reason each row fails, if any."""

    def __init__(self, n: int) -> None:
        self.codes: list[str] = []
        self.first = np.full(n, -1, dtype=np.int32)

    def add(self, failed: np.ndarray, reason: str) -> None:
        fresh = failed & (self.first < 0)
        if fresh.any():
            self.first[fresh] = len(self.codes)
            self.codes.append(reason)

    @property
    def ok(self) -> np.ndarray:
        ok: np.ndarray = self.first < 0
        return ok


def _np(mask: pa.Array) -> np.ndarray:
    result: np.ndarray = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
    return result


def _field(values: pa.Array, spec: FieldSpec, reasons: _Reasons, latest: dt.date) -> pa.Array:
    text = pc.utf8_trim_whitespace(pc.fill_null(values, ""))
    empty = _np(pc.equal(text, ""))
    if spec.required:
        reasons.add(empty, f"missing_{spec.name}")
    blank = pa.array(empty)
    match spec.kind:
        case FieldKind.DATE:
            parsed = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
            # strptime rolls 2020-02-30 over to 03-01: a real date prints back as written. Within the bounds of a
            # life (libs.contracts.dates): a death in year 1 or 9999 is a typo, and overflowed further on.
            real = pc.and_(
                pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), text),
                pc.and_(pc.greater_equal(text, _EARLIEST), pc.less_equal(text, _LATEST)),
            )
            parsed = pc.if_else(pc.fill_null(real, False), parsed, pa.scalar(None, parsed.type))
            reasons.add(~empty & _np(pc.is_null(parsed)), f"invalid_{spec.name}")
            dates = pc.cast(parsed, pa.date32())
            if spec.past:
                reasons.add(_np(pc.greater(dates, pa.scalar(latest, pa.date32()))), f"future_{spec.name}")
            return dates
        case FieldKind.BOOL:
            lowered = pc.utf8_lower(text)
            truth = pc.equal(lowered, "true")
            reasons.add(~empty & ~_np(pc.is_in(lowered, pa.array(["true", "false"]))), f"invalid_{spec.name}")
            return pc.if_else(blank, pa.scalar(None, pa.bool_()), truth)
        case FieldKind.CHOICE:
            lowered = pc.utf8_lower(text)
            reasons.add(~empty & ~_np(pc.is_in(lowered, pa.array(spec.choices))), f"invalid_{spec.name}")
            return pc.if_else(blank, pa.scalar(None, pa.string()), lowered)
        case FieldKind.MONEY:
            reasons.add(~empty & ~_np(pc.match_substring_regex(text, _MONEY)), f"invalid_{spec.name}")
            safe = pc.if_else(pa.array(reasons.ok & ~empty), text, pa.scalar("0"))
            fen = pc.cast(pc.round(pc.multiply(pc.cast(safe, pa.decimal128(16, 2)), 100)), pa.int64())
            return pc.if_else(blank, pa.scalar(None, pa.int64()), fen)
        case FieldKind.TEXT:
            reasons.add(_np(pc.greater(pc.utf8_length(text), _MAX_TEXT)), f"invalid_{spec.name}")
            value = pc.utf8_lower(text) if spec.lower else text
            return pc.if_else(blank, pa.scalar(None, pa.string()), value)


def _mask_names(names: pa.Array) -> pa.Array:
    # 张* / 张*三 / 欧**娜, as libs.contracts.id_number.mask_name, for whole columns.
    length = pc.utf8_length(names)
    first = pc.utf8_slice_codeunits(names, 0, 1)
    last = pc.utf8_slice_codeunits(names, -1)
    stars = pc.binary_repeat(pa.scalar("*"), pc.max_element_wise(pc.subtract(length, 2), 0))
    long = pc.binary_join_element_wise(first, stars, last, "")
    short = pc.if_else(pc.less_equal(length, 1), pa.scalar("*"), pc.binary_join_element_wise(first, "*", ""))
    return pc.if_else(pc.less_equal(length, 2), short, long)


def clean_names(names: pa.Array) -> pa.Array:
    """Names as `clean_line` leaves them (a zero-width space must not make two equal names unequal)."""
    visible = pc.replace_substring_regex(pc.fill_null(names, ""), INVISIBLE, "")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(visible, LINE_BREAKS, " "))


def check_block(block: ParsedBlock, spec: SourceSpec, keys: PersonKeys, today: dt.date) -> CheckedBlock:
    n = len(block.rows)
    rejects = list(block.rejects)
    if n == 0:
        return CheckedBlock(b"", 0, rejects)
    reasons = _Reasons(n)
    valid_id, packed = normalise_ids(block.columns["id_number"], today)
    reasons.add(~valid_id, "invalid_id_number")
    names = clean_names(block.columns["name"])
    reasons.add(_np(pc.equal(names, "")), "missing_name")
    stored = {
        name: _field(block.columns[f.name], f, reasons, today + _CLOCK_SLACK)
        for name, f in zip(_stored_names(spec), spec.fields, strict=True)
    }
    ok = reasons.ok
    failed = np.flatnonzero(~ok)
    rejects.extend((int(block.rows[i]), reasons.codes[reasons.first[i]]) for i in failed)
    keep = pa.array(ok)
    person = keys.key_column(packed[ok])
    table = pa.table(
        {
            "row_no": pa.array(block.rows[ok]),
            "person": person,
            "name_masked": _mask_names(pc.filter(names, keep)),
            **{name: pc.filter(column, keep) for name, column in stored.items()},
        }
    )
    sink = pa.BufferOutputStream()
    pa_csv.write_csv(table, sink, write_options=pa_csv.WriteOptions(include_header=False))
    return CheckedBlock(sink.getvalue().to_pybytes(), table.num_rows, rejects)
