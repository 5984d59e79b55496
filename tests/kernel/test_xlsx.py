"""The ledger writer (libs.kernel.xlsx): pages are consumed one at a time and none is kept, cells keep their kinds
(numbers as text stay text, amounts in yuan, dates), and the sent file leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import gc
import glob
import io
import os
import tempfile
import weakref
from collections.abc import AsyncIterator, Sequence
from urllib.parse import quote

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from libs.kernel.xlsx import Column, Kind, Ledger, Row, disposition, ledger_response, write_ledger

LEDGER = Ledger(
    sheet="低保花名册",
    title="平遥县 最低生活保障花名册（2026年12月7日导出）",
    columns=(
        Column("序号", Kind.INTEGER),
        Column("身份证号码"),
        Column("月保障金额（元）", Kind.YUAN),
        Column("下次复核日期", Kind.DATE),
        Column("备注"),
    ),
)


class Page(list[Row]):
    """A page that can be watched (a plain list cannot hold a weak reference)."""


async def test_pages_are_written_one_at_a_time_and_none_is_kept() -> None:
    """By construction, not by the clock: when the writer asks for the next page, every page before the one it just
    had is gone, so however many pages there are, at most two are alive at once (the rows never pile up)."""
    written: list[weakref.ref[Page]] = []
    alive_at_ask: list[int] = []

    async def pages() -> AsyncIterator[Sequence[Row]]:
        for p in range(50):
            # A page is freed when its last reference goes; a full collection is only for what a cycle holds, and is
            # slow in a worker whose heap holds the session's objects (140 s over 50 pages in CI), so one is made once
            # a page is left behind, to tell a page held in a cycle (let go) from one kept.
            if any(ref() is not None for ref in written[:-1]):
                gc.collect()
            alive_at_ask.append(sum(1 for ref in written if ref() is not None))
            page = Page([(p * 10 + i, "110105199001011234", 56000, dt.date(2027, 3, 1), None) for i in range(10)])
            written.append(weakref.ref(page))
            yield page
            del page

    path = await write_ledger(LEDGER, pages())
    try:
        assert max(alive_at_ask) <= 1
        sheet = load_workbook(path, read_only=True).active
        assert sum(1 for _ in sheet.iter_rows()) == 2 + 500
    finally:
        path.unlink()


async def _one_page(rows: list[Row]) -> AsyncIterator[Sequence[Row]]:
    yield rows


async def test_cells_keep_their_kinds() -> None:
    rows: list[Row] = [
        (1, "110105199001011234", 56012, dt.date(2027, 3, 1), '=HYPERLINK("x")'),
        (2, "6222020000000000000", 0, None, None),
    ]
    path = await write_ledger(LEDGER, _one_page(rows))
    sheet = load_workbook(path).active
    path.unlink()
    assert sheet["A1"].value == LEDGER.title
    assert [c.value for c in sheet[2]] == ["序号", "身份证号码", "月保障金额（元）", "下次复核日期", "备注"]
    assert sheet["B3"].value == "110105199001011234"
    assert sheet["B3"].data_type == "s"
    assert sheet["B4"].value == "6222020000000000000"
    assert sheet["B4"].data_type == "s"
    assert sheet["C3"].value == 560.12
    assert sheet["C3"].number_format == "0.00"
    assert sheet["D3"].value == dt.datetime(2027, 3, 1)
    assert sheet["D4"].value is None
    # A text that looks like a formula stays text.
    assert sheet["E3"].data_type == "s"
    assert sheet["E3"].value.startswith("=")
    assert sheet.freeze_panes == "A3"


async def test_the_sent_file_is_gone_from_disk_and_named_in_chinese() -> None:
    path = await write_ledger(LEDGER, _one_page([(1, "x", 1, None, None)]))
    response = ledger_response(path, "平遥县低保花名册.xlsx", "dibao-140402.xlsx")
    assert not path.exists()
    body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[misc]
    assert int(response.headers["content-length"]) == len(body)
    assert load_workbook(io.BytesIO(body)).active["A1"].value == LEDGER.title
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"dibao-140402.xlsx\"; filename*=UTF-8''{quote('平遥县低保花名册.xlsx')}"
    )
    assert 'filename="ledger.xlsx"' in disposition("台账.xlsx", "台账")


def _ledger_files() -> set[str]:
    return set(glob.glob(os.path.join(tempfile.gettempdir(), "ledger-*.xlsx")))


async def test_a_failing_page_leaves_no_file() -> None:
    before = _ledger_files()

    async def failing() -> AsyncIterator[Sequence[Row]]:
        yield [(1, "x", 1, None, None)]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        await write_ledger(LEDGER, failing())
    assert _ledger_files() <= before
