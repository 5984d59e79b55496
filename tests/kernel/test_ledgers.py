"""What the seven ledgers share (libs.kernel.ledgers, region_names): keyset pages read one after another, a row's
place cells, and the export's title and file names."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from urllib.parse import quote

from fastapi.responses import StreamingResponse

from libs.kernel.ledgers import export_region, keyset_pages
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import Column, Row, Sheet

NAMES = RegionNames({"140402": "平遥县", "140402001": "古陶镇", "140402001001": "东关村"})


async def test_keyset_pages_read_after_each_last_key_until_an_empty_page() -> None:
    items = list(range(1, 8))
    asked: list[int | None] = []

    async def read(after: int | None) -> Sequence[int]:
        asked.append(after)
        start = 0 if after is None else items.index(after) + 1
        return items[start : start + 3]

    pages = [list(page) async for page in keyset_pages(read, lambda i: i)]
    assert pages == [[1, 2, 3], [4, 5, 6], [7]]
    assert asked == [None, 3, 6, 7]


def test_a_place_names_the_levels_a_code_reaches() -> None:
    assert NAMES.place("140402001001") == ("平遥县", "古陶镇", "东关村")
    assert NAMES.place("140402001") == ("平遥县", "古陶镇", None)
    assert NAMES.place("140402") == ("平遥县", None, None)
    assert NAMES.place("140403") == ("未命名区划140403", None, None)


async def _no_rows() -> AsyncIterator[Sequence[Row]]:
    empty: list[Sequence[Row]] = []
    for page in empty:
        yield page


async def _disposition(response: StreamingResponse) -> str:
    async for _ in response.body_iterator:  # sent whole, so the file is closed
        pass
    return response.headers["content-disposition"]


async def test_an_export_is_named_after_its_region_or_the_whole_country() -> None:
    sheet = Sheet("审核审批台账", "cases", (Column("案件编号"),))
    day = dt.date(2026, 12, 7)
    county = await _disposition(await export_region(sheet, _no_rows(), NAMES, "140402", today=day, whole=False))
    assert 'filename="cases-140402-2026-12-07.xlsx"' in county
    assert quote("平遥县审核审批台账2026-12-07.xlsx") in county
    country = await _disposition(await export_region(sheet, _no_rows(), NAMES, "", today=day, whole=False))
    assert quote("全部地区审核审批台账2026-12-07.xlsx") in country
