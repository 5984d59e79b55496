"""A feed body as the provider sends it: its format, its bytes hashed as they stream (the idempotency check), a
provider that stops sending given up, and the first line checked before anything is stored (CONTRACTS.md §5)."""

from __future__ import annotations

import asyncio
import csv
import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import orjson
from fastapi import Request

from services.matching.feeds.blocks import UnframedBody, line_blocks, split_header
from services.matching.feeds.errors import (
    DuplicateColumns,
    EmptyBody,
    InvalidBody,
    MissingColumns,
    UnframedFeed,
    UnsupportedBodyFormat,
)
from services.matching.feeds.parsing import BodyFormat
from services.matching.sources import SourceSpec


class BodyStalled(Exception):
    """The provider sent nothing for the allowed time: the upload is given up."""


def body_format(request: Request) -> BodyFormat:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        return BodyFormat(media)
    except ValueError:
        raise UnsupportedBodyFormat("The body must be CSV (text/csv) or NDJSON (application/x-ndjson)") from None


class HashedStream:
    """The request body's chunks, hashed (SHA-256) as they pass; a pause longer than `idle_seconds` ends it."""

    def __init__(self, request: Request, idle_seconds: float) -> None:
        self._request = request
        self._idle = idle_seconds
        self._digest = hashlib.sha256()

    async def chunks(self) -> AsyncIterator[bytes]:
        stream = self._request.stream().__aiter__()
        while True:
            try:
                async with asyncio.timeout(self._idle):
                    chunk = await anext(stream)
            except StopAsyncIteration:
                return
            except TimeoutError:
                raise BodyStalled(f"the provider sent nothing for {self._idle:.0f} seconds") from None
            self._digest.update(chunk)
            yield chunk

    async def drain(self) -> str:
        """Read the rest of the body; its hash (a retried upload compared with the one loaded)."""
        async for _ in self.chunks():
            pass
        return self.hexdigest()

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


@dataclass(frozen=True)
class Body:
    """A feed body after its first line was looked at: the format, the CSV header (NDJSON: none), the rest."""

    fmt: BodyFormat
    header: list[str]
    blocks: AsyncIterator[bytes]
    stream: HashedStream


async def _chain(first: bytes, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first:
        yield first
    async for block in rest:
        yield block


async def open_body(stream: HashedStream, fmt: BodyFormat, spec: SourceSpec, block_bytes: int, max_line: int) -> Body:
    """Read up to the first block and check the header (CSV) or the first line (NDJSON) before anything is stored."""
    blocks = line_blocks(stream.chunks(), block_bytes, max_line)
    try:
        first = await anext(blocks, b"")
    except UnframedBody as exc:
        raise UnframedFeed(f"The body cannot be cut into rows: {exc}") from None
    if not first.strip():
        raise EmptyBody("The body is empty")
    required = ["id_number", "name", *(f.name for f in spec.fields if f.required)]
    if fmt is BodyFormat.NDJSON:
        line = first.split(b"\n", 1)[0]
        try:
            if not isinstance(orjson.loads(line), dict):
                raise ValueError
        except ValueError:
            raise InvalidBody("The first line is not a JSON object") from None
        return Body(fmt, [], _chain(first, blocks), stream)
    line, rest = split_header(first)
    try:
        header = [name.strip().lower() for name in next(csv.reader([line.decode("utf-8-sig")]))]
    except (UnicodeDecodeError, csv.Error, StopIteration):
        raise InvalidBody("The first line is not a CSV header") from None
    if len(set(header)) != len(header):
        raise DuplicateColumns("The header names a column twice")
    missing = [name for name in required if name not in header]
    if missing:
        raise MissingColumns(
            f"The header lacks {', '.join(missing)}",
            errors=[{"loc": ["body", "header", name], "msg": "column missing"} for name in missing],
        )
    return Body(fmt, header, _chain(rest, blocks), stream)
