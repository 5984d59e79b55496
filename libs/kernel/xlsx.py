"""Ledgers (台账) as Excel workbooks, streamed (issue 22): every staff list exports through here.

A million rows never sit in memory. The caller hands `write_ledger` an async iterator of pages (a page is a keyset
page of the list, a few hundred rows), and each page is written and dropped before the next is read: XlsxWriter in
`constant_memory` mode flushes every row to its own temporary file as it is written, so the workbook's size costs
disk, not memory. The finished file is then sent a chunk at a time (`ledger_response`) and deleted.

Writing the whole file before the first byte is sent is on purpose: a refusal, or a failure half-way, is still a clean
problem answer with its status, never a shortened file the browser would keep as if it were whole; and the request's
database session is used only while the request runs (the transaction ends before the response is sent).

Cells: text columns are written as strings (identity and account numbers stay text: 18 digits as a number lose their
last three and show as 1.1E+17), never as formulas (`write_string` does not evaluate `=...`); amounts are fen in the
code and yuan with two decimals in a numeric cell; dates are date cells shown as 2026-03-02.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import re
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from fastapi.responses import StreamingResponse
from xlsxwriter import Workbook  # type: ignore[import-untyped]

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_BYTES = 64 * 1024
# Excel's own limits: a cell holds at most 32,767 characters; a sheet's name at most 31, without []:*?/\.
_CELL_MAX = 32_767
_SHEET_NAME_MAX = 31
_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\]")
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    YUAN = "yuan"  # the value is integer fen; the cell holds yuan, shown with two decimals
    DATE = "date"


@dataclass(frozen=True)
class Column:
    header: str  # in Chinese, in the words of the notices
    kind: Kind = Kind.TEXT
    width: int = 14


# Columns that many ledgers have, in the same words and widths: the row's number, its place, a person and an account.
SERIAL = Column("序号", Kind.INTEGER, 7)
PLACE = (Column("县（市、区）"), Column("乡镇（街道）"), Column("村（社区）"))
ACCOUNT = (Column("开户银行", width=16), Column("银行账号", width=24))


def person(who: str = "", *, named: bool = True) -> tuple[Column, Column]:
    """A person's name and identity number: `person("户主")` is 户主姓名 and 户主身份证号码; `person("收款人",
    named=False)` is 收款人 and 收款人身份证号码; `person()` is 姓名 and 身份证号码."""
    return (Column(f"{who}姓名" if named else who, width=10), Column(f"{who}身份证号码", width=21))


def day(header: str) -> Column:
    return Column(header, Kind.DATE, 12)


# Single columns that several ledgers share, in the same words and widths.
HOUSEHOLD = Column("家庭编号", width=20)
PROGRAM = Column("救助类别", width=18)
MEMBERS = Column("家庭人口", Kind.INTEGER, 9)
OVERDUE = Column("是否超期", width=9)  # 是/否


Cell = str | int | dt.date | None
Row = Sequence[Cell]


@dataclass(frozen=True)
class Ledger:
    """What a workbook says above its rows: the sheet's name, and a title naming the region and the date."""

    sheet: str
    title: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Sheet:
    """A ledger's name (its sheet's, and in its file's name and title), the list it is of in ASCII (`slug`, the file's
    name for older clients and the access audit's target) and its columns: what a ledger module says once; the route
    adds the title of the region and the day it is exported (`libs.kernel.ledgers.export_region`)."""

    name: str
    slug: str
    columns: tuple[Column, ...]

    def ledger(self, title: str) -> Ledger:
        return Ledger(sheet=self.name, title=title, columns=self.columns)


def sheet_name(text: str) -> str:
    return _SHEET_UNSAFE.sub("", text)[:_SHEET_NAME_MAX] or "台账"


class _Sheet:
    """One worksheet being written row by row; nothing of a written row is kept."""

    def __init__(self, workbook: Workbook, ledger: Ledger) -> None:
        self.columns = ledger.columns
        self.sheet = workbook.add_worksheet(sheet_name(ledger.sheet))
        self.text = workbook.add_format({"num_format": "@"})
        self.yuan = workbook.add_format({"num_format": "0.00"})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        head = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter"})
        for i, column in enumerate(self.columns):
            self.sheet.set_column(i, i, column.width, self.text if column.kind is Kind.TEXT else None)
        title = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
        if len(self.columns) > 1:
            self.sheet.merge_range(0, 0, 0, len(self.columns) - 1, ledger.title, title)
        else:
            self.sheet.write_string(0, 0, ledger.title, title)
        for i, column in enumerate(self.columns):
            self.sheet.write_string(1, i, column.header, head)
        self.sheet.freeze_panes(2, 0)
        self.next_row = 2

    def write(self, rows: Sequence[Row]) -> None:
        for row in rows:
            r = self.next_row
            for i, (column, value) in enumerate(zip(self.columns, row, strict=True)):
                self._cell(r, i, column.kind, value)
            self.next_row += 1

    def _cell(self, r: int, c: int, kind: Kind, value: Cell) -> None:
        if value is None or value == "":
            self.sheet.write_blank(r, c, None)
        elif kind is Kind.YUAN and isinstance(value, int):
            self.sheet.write_number(r, c, value / 100, self.yuan)
        elif kind is Kind.INTEGER and isinstance(value, int):
            self.sheet.write_number(r, c, value)
        elif kind is Kind.DATE and isinstance(value, dt.date):
            self.sheet.write_datetime(r, c, _as_datetime(value), self.date)
        else:
            self.sheet.write_string(r, c, str(value)[:_CELL_MAX], self.text)


def _as_datetime(value: dt.date) -> dt.datetime:
    # A date cell holds a local day: an aware time's day is the one it names, without shifting it to UTC.
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


async def write_ledger(ledger: Ledger, pages: AsyncIterator[Sequence[Row]]) -> Path:
    """The workbook in a temporary file (the caller sends and deletes it, `ledger_response`), a page at a time.

    Each page is written in a worker thread, so a large ledger does not hold up the other requests of the process;
    the pages are read one after another, so at most one is held at a time."""
    handle, name = tempfile.mkstemp(prefix="ledger-", suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        workbook = Workbook(str(path), {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
        try:
            sheet = _Sheet(workbook, ledger)
            async for page in pages:
                await asyncio.to_thread(sheet.write, page)
        finally:
            await asyncio.to_thread(workbook.close)
    except BaseException:
        os.unlink(name)
        raise
    return path


def disposition(file_name: str, fallback: str) -> str:
    """An attachment with its Chinese name (RFC 6266, RFC 5987 `filename*`), and an ASCII one for older clients."""
    ascii_name = _ASCII_UNSAFE.sub("", fallback) or "ledger.xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name, safe='')}"


def _chunks(f: BinaryIO) -> Iterator[bytes]:
    with f:
        while chunk := f.read(CHUNK_BYTES):
            yield chunk


def ledger_response(path: Path, file_name: str, fallback: str) -> StreamingResponse:
    """The written workbook, sent a chunk at a time.

    The file is unlinked as soon as it is open: the open handle keeps its bytes until sent, and nothing is left on
    disk however the sending ends (a client gone half-way included)."""
    f = path.open("rb")
    try:
        size = os.fstat(f.fileno()).st_size
    finally:
        path.unlink(missing_ok=True)
    headers = {"Content-Disposition": disposition(file_name, fallback), "Content-Length": str(size)}
    return StreamingResponse(_chunks(f), media_type=MEDIA_TYPE, headers=headers)
