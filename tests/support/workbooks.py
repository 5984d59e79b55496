"""Ledgers (台账) read back as a spreadsheet program would: the workbook's cells with their types, and the region
names put into a service the way the gateway delivers them."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx
from openpyxl import load_workbook  # type: ignore[import-untyped]

from libs.contracts.staff import StaffRole
from tests.support.principals import staff
from tests.support.service_api import ServiceApi

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: list[str]
    rows: list[list[Any]]  # the cells' values
    types: list[list[str]]  # openpyxl's data types: "s" text, "n" number, "d" date

    def column(self, header: str) -> list[Any]:
        i = self.headers.index(header)
        return [row[i] for row in self.rows]

    def type_of(self, header: str) -> list[str]:
        i = self.headers.index(header)
        return [row[i] for row in self.types]


def read_ledger(response: httpx.Response) -> Sheet:
    """The only sheet of an exported ledger: title in row 1, headers in row 2, then the rows."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows())
    return Sheet(
        title=str(cells[0][0].value),
        headers=[str(c.value) for c in cells[1]],
        rows=[[c.value for c in row] for row in cells[2:]],
        types=[[c.data_type for c in row] for row in cells[2:]],
    )


def file_name(response: httpx.Response) -> str:
    """The Chinese name of the attachment (RFC 5987 `filename*`)."""
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


async def name_regions(api: ServiceApi, names: dict[str, str]) -> None:
    """Region names into the service's own table, as the gateway delivers them (a national administrator)."""
    body = {"names": [{"code": code, "name": name, "revision": 1} for code, name in names.items()]}
    r = await api.put("/internal/v1/region-names", staff(StaffRole.system_admin, ""), body)
    assert r.status_code in (200, 204), r.text
