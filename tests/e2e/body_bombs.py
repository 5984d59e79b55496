"""Bodies no client should send, for every operation that takes JSON (tests/e2e/test_fuzz_staff.py): JSON nested
100,000 deep, a body just over the size limit, and a body of the right shape whose strings are huge.

Each carries a marker, so a test can look for it in the database afterwards: whatever was refused left no trace.
Oversized bodies go out on a raw socket, with a Content-Length or chunked, watching for the answer: a server that
refuses early stops reading and closes, and an HTTP client library would report the reset, not the answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import select
import socket
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

Json = dict[str, Any]
Loc = tuple[str | int, ...]

DEEP = 100_000
HUGE_STRING = 1024 * 1024
# What the huge strings of one body may add up to: under the 4 MiB body limit, so the service itself must refuse them.
HUGE_BUDGET = 3 * 1024 * 1024 + 512 * 1024
_CHUNK = 256 * 1024
_REF = "#/components/schemas/"


def marker() -> str:
    """A string found nowhere else: whatever carries it must never be stored."""
    return f"FZBOMB{uuid.uuid4().hex}"


def deep_json(mark: str, depth: int = DEEP) -> bytes:
    """Objects nested `depth` deep around the marker: `{"a":{"a":…"marker"…}}`."""
    return b'{"a":' * depth + json.dumps(mark).encode() + b"}" * depth


def just_over(mark: str, limit: int) -> bytes:
    """A valid JSON object of `limit + 1` bytes."""
    head = f'{{"name":"{mark}'.encode()
    tail = b'"}'
    return head + b"x" * (limit + 1 - len(head) - len(tail)) + tail


@dataclass
class HugeBody:
    """A body with huge strings at `leaves` (paths under `body`): each must be refused by name."""

    body: Any
    leaves: list[Loc]


@dataclass
class _Shaper:
    """Builds a value of a JSON schema: every property present, one item per array, the first of each `anyOf`,
    enums at their first value, numbers at their minimum, and None at every free-text string, whose path is
    recorded; a free-form object (`dict[str, Any]`) is recorded too, and left empty."""

    components: Mapping[str, Any]
    leaves: list[Loc] = field(default_factory=list)
    free_form: list[Loc] = field(default_factory=list)

    def value(self, schema: Any, loc: Loc) -> Any:
        if not isinstance(schema, dict):
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            return self.value(self.components[ref.removeprefix(_REF)], loc)
        for key in ("allOf", "anyOf", "oneOf"):
            options = [o for o in schema.get(key, ()) if o.get("type") != "null"]
            if options:
                return self.value(options[0], loc)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return schema["enum"][0]
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties") or {}
            if not properties and schema.get("additionalProperties", True) is not False:
                self.free_form.append(loc)
            return {name: self.value(sub, (*loc, name)) for name, sub in properties.items()}
        if kind == "array":
            return [self.value(schema.get("items", {}), (*loc, 0))]
        if kind in ("integer", "number"):
            low: float = schema.get("minimum") or schema.get("exclusiveMinimum") or 0
            return int(low) + 1 if kind == "integer" else low + 1
        if kind == "boolean":
            return True
        self.leaves.append(loc)  # a string, or anything at all
        return None


def _placed(value: Any, loc: Loc, text: str, *, inside: bool = False) -> Any:
    """`value` with `text` at `loc`, or (`inside`) under the key `note` of the object at `loc`."""
    if not loc:
        return {**value, "note": text} if inside and isinstance(value, dict) else text
    head, rest = loc[0], loc[1:]
    if isinstance(value, list) and isinstance(head, int):
        return [_placed(item, rest, text, inside=inside) if i == head else item for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {k: _placed(v, rest, text, inside=inside) if k == head else v for k, v in value.items()}
    return value


def _huge(mark: str, size: int) -> str:
    return mark + "x" * (size - len(mark))


def huge_bodies(schema: Json, components: Mapping[str, Any], mark: str) -> Iterator[HugeBody]:
    """Bodies of the schema's shape with a huge string (up to 1 MiB, the marker first) in every free-text place, as
    few bodies as keep each under the size limit; the other places hold a short string. Pydantic checks every field
    of a body, so each huge string must be named among the errors, whatever else is wrong."""
    shaper = _Shaper(components)
    shape = shaper.value(schema, ())
    leaves = shaper.leaves
    if not leaves:
        return
    size = min(max(HUGE_BUDGET // len(leaves), 256 * 1024), HUGE_STRING)
    per_body = max(1, HUGE_BUDGET // size)
    for start in range(0, len(leaves), per_body):
        chosen = leaves[start : start + per_body]
        body = shape
        for loc in leaves:
            body = _placed(body, loc, _huge(mark, size) if loc in chosen else "x")
        yield HugeBody(body, chosen)


def _strings(value: Any, loc: Loc) -> Iterator[Loc]:
    if isinstance(value, str):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*loc, index))


def huge_in_valid(valid: Any, schema: Json, components: Mapping[str, Any], mark: str) -> Iterator[HugeBody]:
    """A body that was accepted, with one of its strings made 1 MiB long at a time (and a 1 MiB string added to
    each free-form object in it): with nothing else wrong, only the size can refuse it."""
    huge = _huge(mark, HUGE_STRING)
    for loc in _strings(valid, ()):
        yield HugeBody(_placed(valid, loc, huge), [loc])
    shaper = _Shaper(components)
    shaper.value(schema, ())
    for loc in shaper.free_form:
        body = _placed(valid, loc, huge, inside=True)
        if body != valid:
            yield HugeBody(body, [loc])


def unnamed_leaves(problem: Json, leaves: list[Loc]) -> list[Loc]:
    """The huge leaves no validation error of the problem names (an error at the leaf, or inside it)."""
    locs = [tuple(error.get("loc", ())) for error in problem.get("errors") or ()]
    locs = [loc[1:] for loc in locs if loc[:1] == ("body",)]
    return [leaf for leaf in leaves if not any(loc[: len(leaf)] == leaf for loc in locs)]


@dataclass
class RawReply:
    status: int  # 0: the connection was reset before an answer arrived
    headers: dict[str, str]
    body: bytes

    def problem(self) -> Json:
        document = json.loads(self.body)
        assert isinstance(document, dict)
        return document


def _parse(raw: bytes) -> RawReply:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    if not lines[0].startswith("HTTP/"):
        return RawReply(0, {}, raw)
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return RawReply(int(lines[0].split()[1]), headers, body[: int(headers.get("content-length") or len(body))])


def _exchange(host: str, port: int, head: bytes, pieces: Iterator[bytes]) -> bytes:
    """Blocking: send the head, then the pieces until the server answers or stops reading; everything it sent."""
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head)
        try:
            for piece in pieces:
                if select.select([sock], [], [], 0)[0]:
                    break  # it answered already: it will read no more
                sock.sendall(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it refused and closed while the body was on its way; its answer came before
        received = bytearray()
        # What arrived before a reset is still read: the kernel keeps it queued ahead of the error.
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                received += chunk
    return bytes(received)


async def raw_send(
    host: str, port: int, method: str, path: str, headers: Mapping[str, str], body: bytes, *, chunked: bool
) -> RawReply:
    """Send `body` declared with its Content-Length, or chunked, stopping once the server has answered (a server
    refusing a body stops reading it and closes)."""
    framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(len(body))}
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in {**headers, **framing}.items()]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    pieces = [body[start : start + _CHUNK] for start in range(0, len(body), _CHUNK)]
    if chunked:
        pieces = [f"{len(piece):x}\r\n".encode() + piece + b"\r\n" for piece in pieces] + [b"0\r\n\r\n"]
    return _parse(await asyncio.to_thread(_exchange, host, port, head, iter(pieces)))


async def stored_marks(engine: AsyncEngine, schemas: list[str], marks: list[str]) -> list[str]:
    """The columns (`schema.table.column`) of the schemas holding any of the marks in a text, JSON or array value
    (an encrypted column would hide one: its field's refusal by name is what shows it was not taken)."""
    catalogue = text(
        "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_schema = "
        "ANY(:schemas) AND data_type IN ('text', 'character varying', 'json', 'jsonb', 'ARRAY')"
    )
    patterns = [f"%{mark}%" for mark in marks]
    found = []
    async with engine.connect() as conn:
        for schema, table, column in (await conn.execute(catalogue, {"schemas": schemas})).all():
            # Names from the catalogue, never input.
            query = f'SELECT count(*) FROM "{schema}"."{table}" WHERE "{column}"::text LIKE ANY(:marks)'  # noqa: S608
            if (await conn.execute(text(query), {"marks": patterns})).scalar_one():
                found.append(f"{schema}.{table}.{column}")
    return found
