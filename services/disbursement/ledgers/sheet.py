"""What both of disbursement's ledgers are made of alike: a name and columns (`Sheet`), the size of a page read at a
time, and a row's place (the `PLACE` columns of `libs.kernel.xlsx`)."""

from __future__ import annotations

from dataclasses import dataclass

from libs.kernel.region_names import RegionNames
from libs.kernel.xlsx import Column, Ledger

PAGE_ROWS = 500


@dataclass(frozen=True)
class Sheet:
    """A ledger's name (its sheet's, and in its file's name and title) and its columns."""

    name: str
    columns: tuple[Column, ...]

    def ledger(self, title: str) -> Ledger:
        return Ledger(sheet=self.name, title=title, columns=self.columns)


def place(names: RegionNames, code: str) -> tuple[str, str | None, str | None]:
    """The county, township and village of a code, by name; a level the code does not reach stays empty."""
    return (
        names.name(code[:6]),
        names.name(code[:9]) if len(code) >= 9 else None,
        names.name(code) if len(code) == 12 else None,
    )
