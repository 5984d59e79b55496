"""The printed documents a service kept (一户一档, issue 22): rendered once, kept as bytes, reprinted as kept.

Every service that prints gets the same two tables in its own schema (`DocumentTables`, added by its own migration
through `libs.kernel.migrations.documents_revision`): `documents`, the PDF bytes with their sha256 and number, and
`document_numbers`, the per-county, per-year sequence the numbers come from.

A document is identified by its kind, its subject (a case, an application, a roster) and the version of the data it
was rendered from (`source_key`: the decision's time, the roster's revision ...). The first request renders and keeps
it; every later request for the same version returns the kept bytes, identical; a new decision is a new version, so
a new document with a new number, and the old one stays in the archive.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import quote

from fastapi import Response
from pydantic import AwareDatetime, BaseModel
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Row,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.errors import PROBLEM, OutsideJurisdiction
from libs.kernel.presenters import from_row

PDF = "application/pdf"
# The `responses=` of a route that answers with a kept PDF (OpenAPI shows the media type and the integrity header).
PDF_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {PDF: {"schema": {"type": "string", "format": "binary"}}},
        "description": "The document as kept (A4 PDF); `X-Content-SHA256` is the sha256 of the bytes",
    }
}


def document_answers(problems: Mapping[int, str], *, pdf: bool = False) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route to printed documents: the kept PDF (`pdf`), then a problem under each status with
    the route's words for it, a subject outside the caller's jurisdiction (403) first."""
    answers: dict[int | str, dict[str, Any]] = {**PDF_RESPONSE} if pdf else {}
    for status, words in {403: OutsideJurisdiction.title, **problems}.items():
        answers[status] = {**PROBLEM, "description": words}
    return answers


def documents_table(metadata: MetaData) -> Table:
    return Table(
        "documents",
        metadata,
        Column("id", Text, primary_key=True),
        Column("kind", Text, nullable=False),
        Column("subject_id", Text, nullable=False),
        # The version of the data it was rendered from: one document per kind, subject and version.
        Column("source_key", Text, nullable=False),
        Column("household_id", Text),
        Column("region_code", Text, nullable=False),
        # Numbers run per county and year (document_numbers): unique within the county, as printed.
        Column("county_code", Text, nullable=False),
        Column("number", Text, nullable=False),
        Column("title", Text, nullable=False),
        Column("issued_on", Date, nullable=False),
        Column("sha256", Text, nullable=False),
        Column("pdf", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("created_by", Text, nullable=False),
        UniqueConstraint("kind", "subject_id", "source_key", name="uq_documents_kind_subject_source"),
        UniqueConstraint("county_code", "number", name="uq_documents_county_number"),
        Index("ix_documents_subject", "subject_id"),
        Index("ix_documents_household", "household_id"),
    )


def document_numbers_table(metadata: MetaData) -> Table:
    return Table(
        "document_numbers",
        metadata,
        Column("county_code", Text, primary_key=True),
        Column("year", Integer, primary_key=True),
        Column("last", BigInteger, nullable=False, server_default=text("0")),
    )


class DocumentTables:
    """The documents kept in one service's schema and their numbering."""

    def __init__(self, metadata: MetaData) -> None:
        self.documents = documents_table(metadata)
        self.numbers = document_numbers_table(metadata)


@dataclass(frozen=True)
class Wanted:
    """The document asked for: what it is about, and who asks (the writer kept with it)."""

    kind: str
    subject_id: str
    source_key: str
    region_code: str
    household_id: str | None
    issued_on: dt.date
    created_by: str


@dataclass(frozen=True)
class Rendered:
    title: str
    pdf: bytes


@dataclass(frozen=True)
class KeptDocument:
    id: str
    kind: str
    subject_id: str
    number: str
    title: str
    issued_on: dt.date
    sha256: str
    created_at: dt.datetime
    created_by: str
    pdf: bytes


def _kept(row: Row[Any]) -> KeptDocument:
    """The document from its row's columns of the same names (the file as bytes, whatever the driver gave)."""
    m = row._mapping
    columns = {f.name: m[f.name] for f in fields(KeptDocument) if f.name != "pdf"}
    return KeptDocument(**columns, pdf=bytes(m["pdf"]))


async def next_sequence(session: AsyncSession, tables: DocumentTables, county_code: str, year: int) -> int:
    """The county's next number of the year in this service: one row per county and year, bumped in place, so two
    documents never share a number (the row lock orders concurrent requests)."""
    t = tables.numbers
    stmt = (
        insert(t)
        .values(county_code=county_code, year=year, last=1)
        .on_conflict_do_update(index_elements=[t.c.county_code, t.c.year], set_={"last": t.c.last + 1})
        .returning(t.c.last)
    )
    return int((await session.execute(stmt)).scalar_one())


async def keep_or_render(
    session: AsyncSession,
    tables: DocumentTables,
    wanted: Wanted,
    number_of: Callable[[int], str],
    render: Callable[[str], Awaitable[Rendered]],
) -> KeptDocument:
    """The kept document of this kind, subject and version, or a new one: numbered (`number_of(sequence)`),
    rendered with that number (`render(number)`) and kept, in the caller's transaction."""
    d = tables.documents
    # Serialise the first print of one document: a second request waits and then reads the kept one.
    lock = f"document:{wanted.kind}:{wanted.subject_id}:{wanted.source_key}"
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": lock})
    found = (
        await session.execute(
            select(d).where(
                d.c.kind == wanted.kind, d.c.subject_id == wanted.subject_id, d.c.source_key == wanted.source_key
            )
        )
    ).first()
    if found is not None:
        return _kept(found)
    county = wanted.region_code[:6]
    sequence = await next_sequence(session, tables, county, wanted.issued_on.year)
    number = number_of(sequence)
    rendered = await render(number)
    row = {
        "id": str(uuid.uuid4()),
        "kind": wanted.kind,
        "subject_id": wanted.subject_id,
        "source_key": wanted.source_key,
        "household_id": wanted.household_id,
        "region_code": wanted.region_code,
        "county_code": county,
        "number": number,
        "title": rendered.title,
        "issued_on": wanted.issued_on,
        "sha256": hashlib.sha256(rendered.pdf).hexdigest(),
        "pdf": rendered.pdf,
        "created_by": wanted.created_by,
    }
    stored = (await session.execute(d.insert().values(**row).returning(*d.c))).one()
    return _kept(stored)


async def kept_for(session: AsyncSession, tables: DocumentTables, subject_id: str) -> Sequence[KeptDocument]:
    """Every document kept for a subject, oldest first (the archive of the case)."""
    d = tables.documents
    rows = await session.execute(select(d).where(d.c.subject_id == subject_id).order_by(d.c.created_at, d.c.number))
    return [_kept(r) for r in rows]


class DocumentOut(BaseModel):
    """A kept document as a listing shows it: everything but the file."""

    id: str
    kind: str
    title: str
    number: str
    issued_on: dt.date
    sha256: str
    created_at: AwareDatetime
    created_by: str

    @classmethod
    def of(cls, doc: KeptDocument) -> DocumentOut:
        return from_row(cls, doc)


def pdf_response(doc: KeptDocument, filename: str | None = None) -> Response:
    """The kept bytes as they were rendered, with their sha256, to show or download: named after the document's
    title and number unless `filename` says otherwise."""
    filename = filename or f"{doc.title}（{doc.number}）.pdf"
    # RFC 5987: the Chinese file name percent-encoded, with an ASCII fallback.
    return Response(
        doc.pdf,
        media_type=PDF,
        headers={
            "X-Content-SHA256": doc.sha256,
            "Content-Disposition": f"inline; filename=\"{doc.kind}.pdf\"; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "private, no-store",
        },
    )
