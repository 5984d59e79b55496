"""What every service's ledger export (台账导出, issue 22) does alike around the workbook (`libs.kernel.xlsx`): who may
have whole identity and account numbers, the title and the file's name, and the word to the access audit.

Whole numbers: a list shows identity numbers as 110105********002X and names as 张*三 (DOMAIN.md §11); a ledger does
too, unless a county officer asks for them whole (`whole=true`), as the county officer is the one who reveals a
household's bank account today (disbursement's `bank-account/reveal`). Anyone else asking is refused (403), not
quietly given a masked file they would take for the whole one. A whole export is recorded in the access audit under
its own action (`ledger.exported_whole`), a masked one as `ledger.exported`: who took which ledger of which region.

Rows: a ledger reads its list in keyset pages (`keyset_pages`, `PAGE_ROWS` at a time) and numbers them across pages; the
export route ends alike in every service (`export_region`): the title of the region, the file's names, the note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

from fastapi import Query
from fastapi.responses import StreamingResponse

from libs.contracts.id_number import mask_name, masked_form
from libs.contracts.staff import StaffRole
from libs.kernel.audit_note import note
from libs.kernel.auth import Principal
from libs.kernel.errors import RoleRequired
from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import MEDIA_TYPE, Ledger, Row, Sheet, ledger_response, write_ledger

# Rows read (and written) at a time; a list's search that returns one row more than asked (to say a next page exists)
# is asked for PAGE_ROWS - 1.
PAGE_ROWS = 500
EVERYWHERE = "全部地区"  # the region of a ledger of the whole country

Item = TypeVar("Item")
Key = TypeVar("Key")

# An export route's answer as documented: the workbook, beside the problems the route lists (`{**WORKBOOK, 403: {}}`).
WORKBOOK: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPE: {}}, "description": "The ledger as an Excel workbook"}
}

WholeNumbers = Annotated[
    bool,
    Query(
        description="Identity and account numbers and names whole instead of masked: county officers only; the "
        "export is recorded in the access audit as `ledger.exported_whole`.",
    ),
]


def whole_numbers(who: Principal, asked: bool) -> bool:
    """Whether this export shows numbers whole; asked for by anyone but a county officer, a 403."""
    if asked and StaffRole.county_officer.value not in who.roles:
        raise RoleRequired("Whole identity and account numbers in a ledger are for county officers")
    return asked


def id_number_cell(id_number: str | None, whole: bool) -> str | None:
    if not id_number:
        return None
    return id_number if whole else masked_form(id_number)


def name_cell(name: str | None, whole: bool) -> str | None:
    if not name:
        return None
    return name if whole else mask_name(name)


def title(region: str, what: str, day: dt.date) -> str:
    """ "平遥县古陶镇 最低生活保障花名册（2026年12月7日导出）"."""
    return f"{region} {what}（{day.year}年{day.month}月{day.day}日导出）"


async def export(
    ledger: Ledger,
    pages: AsyncIterator[Sequence[Row]],
    *,
    file_name: str,
    fallback: str,
    target: str,
    whole: bool,
) -> StreamingResponse:
    """The ledger written page by page, then sent as a file, with its note to the access audit (`target` names the
    list and the region, e.g. `households/140402`, never a person)."""
    response = ledger_response(await write_ledger(ledger, pages), f"{file_name}.xlsx", f"{fallback}.xlsx")
    note(response, "ledger.exported_whole" if whole else "ledger.exported", target)
    return response


async def keyset_pages(
    read: Callable[[Key | None], Awaitable[Sequence[Item]]], last_key: Callable[[Item], Key]
) -> AsyncIterator[Sequence[Item]]:
    """A list's pages one after another: `read(after)` is the page after the keyset `after` (None: the first), and
    `last_key` the keyset of a page's last item, which the next page starts after; an empty page ends the list."""
    after: Key | None = None
    while True:
        items = await read(after)
        if not items:
            return
        yield items
        after = last_key(items[-1])


async def export_region(
    sheet: Sheet,
    pages: AsyncIterator[Sequence[Row]],
    names: RegionNames,
    prefix: str,
    *,
    today: dt.date,
    whole: bool,
) -> StreamingResponse:
    """The ledger of a list inside a jurisdiction `prefix` ("" for the whole country), exported on `today`, titled and
    named after the region by the `names` its rows are written with (`names_under` the prefix). The cases of 140402:
    the file 平遥县审核审批台账2026-12-07.xlsx (cases-140402-2026-12-07.xlsx for older clients), audited as
    `cases/140402`."""
    region = names.path(prefix) if prefix else EVERYWHERE
    return await export(
        sheet.ledger(title(region, sheet.name, today)),
        pages,
        file_name=f"{region}{sheet.name}{today.isoformat()}",
        fallback=f"{sheet.slug}-{prefix}-{today.isoformat()}",
        target=f"{sheet.slug}/{prefix or 'all'}",
        whole=whole,
    )
