"""A roster's lines as a CSV file for the county's own checks and records, streamed page by page as the API lists
them to this person: payees' names and account numbers masked as the API masks them.

It is not finance's file: that one (`GET /api/v1/finance/rosters/{id}/lines.csv`, sealed at lock, its SHA-256 the
roster's checksum) carries identity and account numbers in clear and is served to the finance system's client only.
Staff have no file endpoint, so the console writes the lines it is shown, nothing more.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote

from console import words
from libs.contracts.text import neutralise_cell

COLUMNS = ("序号", "地区代码", "家庭编号", "收款人", "开户银行", "银行账号", "救助类别", "期别", "金额（元）", "明细",
           "发放状态")  # fmt: skip
MEDIA_TYPE = "text/csv; charset=utf-8"
_ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9-]")

NextPage = Callable[[str], Awaitable[dict[str, Any]]]


def file_name(roster: dict[str, Any]) -> str:
    return f"花名册-{roster['region_code']}-{words.chinese_month(roster['period'])}.csv"


def disposition(roster: dict[str, Any]) -> str:
    """An attachment with its Chinese name (RFC 6266 `filename*`), and an ASCII one for clients without it."""
    fallback = _ASCII_UNSAFE.sub("", f"roster-{roster['region_code']}-{roster['period']}") + ".csv"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name(roster))}"


def _items(line: dict[str, Any]) -> str:
    return "；".join(f"{words.word(words.ITEM_KINDS, i.get('kind'))} {i.get('amount')}（{i.get('note', '')}）"
                    for i in line.get("items") or [])  # fmt: skip


def _row(line: dict[str, Any]) -> list[str]:
    return [
        str(line.get("line_no", "")),
        str(line.get("region_code", "")),
        str(line.get("household_id", "")),
        str(line.get("payee_name_masked", "")),
        words.word(words.BANKS, line.get("bank_code", "")),
        str(line.get("account_no_masked", "")),
        words.word(words.PROGRAMS, line.get("program", "")),
        words.chinese_month(line.get("period")),
        str(line.get("amount", "")),
        _items(line),
        words.word(words.LINE_STATUSES, line.get("status", "")),
    ]


def _encoded(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    # No cell reaches a spreadsheet as a formula, whatever a name or note holds (as finance's own file).
    csv.writer(out, lineterminator="\r\n").writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode()


async def lines_csv(first: dict[str, Any], next_page: NextPage) -> AsyncIterator[bytes]:
    """UTF-8 with a BOM (so a spreadsheet opens the Chinese right), a header row, then every line in the API's order.

    A page that fails after the first one raises: the response's headers are sent by then, so the connection breaks
    and the browser reports a failed download rather than keeping a silently shortened file."""
    yield "\ufeff".encode() + _encoded([list(COLUMNS)])
    page = first
    while True:
        yield _encoded([_row(line) for line in page.get("items") or []])
        cursor = page.get("next_cursor")
        if not cursor:
            return
        page = await next_page(str(cursor))
