"""Reading printed documents back in tests: their text (pypdfium2), and a page as PNG for a reviewer to look at."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium


def pdf_text(pdf: bytes) -> str:
    """The text of every page, lines joined (a sentence wrapped at the margin reads whole, as Chinese has no spaces)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = (str(doc[i].get_textpage().get_text_range()) for i in range(len(doc)))
        return "".join(page.replace("\r\n", "").replace("\n", "") for page in pages)
    finally:
        doc.close()


def page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def page_size_mm(pdf: bytes) -> tuple[float, float]:
    doc = pdfium.PdfDocument(pdf)
    try:
        width, height = doc[0].get_size()
        return round(width / 72 * 25.4), round(height / 72 * 25.4)
    finally:
        doc.close()


def save_png(pdf: bytes, path: Path) -> Path:
    """Page 1 at 150 dpi: what a reviewer opens to see the layout."""
    doc = pdfium.PdfDocument(pdf)
    try:
        doc[0].render(scale=150 / 72).to_pil().save(path)
    finally:
        doc.close()
    return path
