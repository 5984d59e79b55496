"""PDF rendering over fpdf2: A4, the CJK font embedded as a subset, and the same bytes for the same document.

Determinism: fpdf2 stamps the creation date (set to the document's date here) and derives the file identifier from
the content, and the font subset is named after its glyphs, so nothing random or clock-based reaches the file.
"""

from __future__ import annotations

import datetime as dt

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from libs.documents.fonts import cjk_font
from libs.documents.layout import Document, Section, Table
from libs.documents.wording import chinese_date

_FONT = "cjk"
_MARGIN = 25.0  # mm, the margins of official documents (GB/T 9704 is close to this)
_BODY = 12.0
_LINE = 8.0
_SEAL = 38.0  # the seal box's side in mm: room for a 4.2 cm round seal to overlap it
_CHINA = dt.timezone(dt.timedelta(hours=8))


class _Page(FPDF):
    def __init__(self, number: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self._number = number

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(_FONT, size=9)
        self.cell(0, 6, f"{self._number}　第{self.page_no()}页 共{{nb}}页", align=Align.C)


def _pdf(doc: Document) -> _Page:
    font = cjk_font()
    pdf = _Page(doc.number)
    pdf.set_creation_date(dt.datetime.combine(doc.issued_on, dt.time(), _CHINA))
    pdf.set_title(doc.title)
    pdf.set_author(doc.issuer)
    pdf.set_creator("Jiuzhu")
    pdf.set_lang("zh-CN")
    pdf.add_font(_FONT, fname=font.path, collection_font_number=font.face)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=True, margin=22)
    pdf.add_page()
    return pdf


def _table(pdf: FPDF, table: Table) -> None:
    pdf.set_font(_FONT, size=10.5)
    widths = table.widths or tuple(1 for _ in table.header)
    # One face only (no bold in the collection we load): the heading row is set apart by its fill, not its weight.
    headings = FontFace(emphasis="", fill_color=(235, 235, 235))
    with pdf.table(col_widths=widths, line_height=7, text_align="LEFT", headings_style=headings) as out:
        for cells in (table.header, *table.rows):
            row = out.row()
            for cell in cells:
                row.cell(cell)
    pdf.ln(2)


def _section(pdf: FPDF, section: Section) -> None:
    if section.heading:
        pdf.set_font(_FONT, size=_BODY + 1)
        pdf.multi_cell(0, _LINE, section.heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if section.text:
        pdf.set_font(_FONT, size=_BODY)
        # Two full-width spaces: the first-line indent of a Chinese paragraph.
        pdf.multi_cell(0, _LINE, "　　" + section.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if section.table is not None:
        pdf.ln(1)
        _table(pdf, section.table)


def _closing(pdf: FPDF, doc: Document) -> None:
    """The issuing body and the date on the right, the seal box over them, the signature lines on the left."""
    needed = _SEAL + 10 + _LINE * len(doc.notes)
    if pdf.get_y() + needed > pdf.h - 25:
        pdf.add_page()
    pdf.ln(6)
    top = pdf.get_y()
    right = pdf.w - _MARGIN
    pdf.set_draw_color(160, 160, 160)
    pdf.set_dash_pattern(dash=1.5, gap=1.0)
    pdf.rect(right - _SEAL - 4, top, _SEAL, _SEAL)
    pdf.set_dash_pattern()
    pdf.set_font(_FONT, size=9)
    pdf.set_text_color(130, 130, 130)
    pdf.set_xy(right - _SEAL - 4, top + 2)
    pdf.cell(_SEAL, 5, "盖章处", align=Align.C)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(_FONT, size=_BODY)
    pdf.set_xy(_MARGIN, top + _SEAL / 2 - _LINE)
    pdf.multi_cell(right - _MARGIN, _LINE, doc.issuer, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.multi_cell(
        right - _MARGIN, _LINE, chinese_date(doc.issued_on), align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_xy(_MARGIN, top + 4)
    for line in doc.signatures:
        pdf.cell(80, _LINE * 1.6, f"{line}：＿＿＿＿＿＿", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top + _SEAL + 6)
    pdf.set_font(_FONT, size=10)
    for note in doc.notes:
        pdf.multi_cell(0, 6.5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def render(doc: Document) -> bytes:
    """The document as PDF bytes: the same document (same date) gives the same bytes, every time."""
    pdf = _pdf(doc)
    pdf.set_font(_FONT, size=20)
    pdf.multi_cell(0, 12, doc.title, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(_FONT, size=11)
    pdf.multi_cell(0, 8, doc.number, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    if doc.addressee:
        pdf.set_font(_FONT, size=_BODY)
        pdf.multi_cell(0, _LINE, f"{doc.addressee}：", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for section in doc.sections:
        _section(pdf, section)
    _closing(pdf, doc)
    return bytes(pdf.output())
