"""How casework prints a document: the kept one when asked for before, else numbered in the county's sequence of
the year it is issued, rendered off the event loop and kept (libs.kernel.document_archive)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession

from libs.documents.layout import Document
from libs.documents.render import render
from libs.documents.wording import document_number
from libs.kernel.document_archive import KeptDocument, Rendered, Wanted, keep_or_render
from services.casework.db import documents


async def kept_or_printed(
    session: AsyncSession, wanted: Wanted, county_name: str, word: str, build: Callable[[str], Document]
) -> KeptDocument:
    """`wanted` as kept, or `build(number)` under a number such as 平遥民救〔2026〕第000001号 (`word` 民救)."""

    async def rendered(number: str) -> Rendered:
        doc = build(number)
        # Rendering takes a second of CPU: off the event loop.
        return Rendered(doc.title, await asyncio.to_thread(render, doc))

    def number_of(sequence: int) -> str:
        return document_number(county_name, word, wanted.issued_on.year, sequence)

    return await keep_or_render(session, documents, wanted, number_of, rendered)
