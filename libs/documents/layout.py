"""What a printed document says, as plain data: the services fill it in, `render` sets it on A4."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Table:
    """A table of lines (the calculation, totals by program): a header row and rows of the same width."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Relative column widths; equal when empty.
    widths: tuple[int, ...] = ()


@dataclass(frozen=True)
class Section:
    """A paragraph, optionally with a table under it."""

    text: str = ""
    table: Table | None = None
    heading: str = ""


@dataclass(frozen=True)
class Document:
    """One printed document: numbered, dated, addressed, with the issuing body and a place to sign and seal."""

    title: str
    number: str
    # The document's date: printed in Chinese, and the PDF's creation date, so the same document gives the same bytes.
    issued_on: dt.date
    issuer: str
    addressee: str = ""
    sections: tuple[Section, ...] = ()
    # The lines of the signature block (经办人签字、负责人签字); the seal box (盖章处) is always drawn.
    signatures: tuple[str, ...] = ("经办人（签字）", "负责人（签字）")
    # Small print at the end (the appeal route, the complaint line).
    notes: tuple[str, ...] = field(default_factory=tuple)
