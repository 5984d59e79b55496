"""Every request body is bounded and every text is storable before any endpoint, authentication included, runs.

- **Size**: a body longer than its route's limit is refused with `413 payload_too_large`: at once when its
  Content-Length says so, else as soon as the bytes read pass the limit. Only routes that stream their body to the
  database (a registry feed) have no limit; they never hold it whole. Without this, a 400 MB POST without a token
  was read into memory before it was refused.
- **Depth**: JSON nested deeper than `MAX_JSON_DEPTH` is a 422 (`too_deep`): a 100,000-deep document made the
  parsers recurse until they failed with a 500.
- **NUL**: U+0000 in the path, the query, a JSON string or a form field is a 422 naming where it was. PostgreSQL
  cannot store NUL in text, nor compare a text column with a value holding it: such a value reaching a query was a
  500 wherever it went into SQL unchecked by a pattern.

A bounded body is read here whole (it is at most the limit) and replayed to the app; an unbounded one passes through
untouched, and its rows are checked one by one where they are read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.kernel.errors import problem_response

NUL = "\x00"
MAX_JSON_DEPTH = 32
DEFAULT_BODY_LIMIT = 4 * 1024 * 1024
_JSON_NUL = b"\\u0000"
_MESSAGE = "must not contain the NUL character (U+0000)"
# In a JSON text: an escape (two bytes, so an escaped quote never toggles), a quote, or a bracket.
_JSON_TOKENS = re.compile(rb'\\.|["\[\]{}]', re.DOTALL)
# Route path → its body limit in bytes, or None for a body streamed to storage.
BodyLimit = Callable[[str], int | None]


def body_limit(streamed_prefixes: Sequence[str] = (), limit: int = DEFAULT_BODY_LIMIT) -> BodyLimit:
    """`limit` for every path but those under `streamed_prefixes`, which have none."""
    streamed = tuple(streamed_prefixes)
    return lambda path: None if streamed and path.startswith(streamed) else limit


class _Refused(Exception):
    def __init__(self, status: int, code: str, detail: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors


def _media_type(scope: Scope) -> bytes:
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            return bytes(value.split(b";", 1)[0].strip().lower())
    return b""


def _is_json(media: bytes) -> bool:
    return media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _nul_fault(loc: list[str | int]) -> _Refused:
    where = ".".join(str(part) for part in loc)
    return _Refused(422, "validation_failed", f"{where}: {_MESSAGE}", [{"loc": loc, "msg": _MESSAGE,
                                                                       "type": "nul_character"}])  # fmt: skip


def _check_url(scope: Scope) -> None:
    if NUL in scope.get("path", ""):
        raise _nul_fault(["path"])
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if NUL in name or NUL in value:
                raise _nul_fault(["query", name.replace(NUL, "")])


def json_too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON text nests arrays and objects deeper than `limit` (without parsing it)."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False
    depth, in_string = 0, False
    for match in _JSON_TOKENS.finditer(body):
        token = match.group()
        if token == b'"':
            in_string = not in_string
        elif in_string or token[0] == 0x5C:  # inside a string, or an escape
            continue
        elif token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _nul_in(value: Any, loc: list[str | int]) -> Iterator[list[str | int]]:
    """Where in a parsed JSON document a string (or an object key) holds NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in key:
                yield loc
            yield from _nul_in(item, [*loc, key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_in(item, [*loc, index])


def _check_body(media: bytes, body: bytes) -> None:
    if _is_json(media):
        if json_too_deep(body):
            message = f"JSON nested deeper than {MAX_JSON_DEPTH} levels"
            raise _Refused(422, "too_deep", message, [{"loc": ["body"], "msg": message, "type": "too_deep"}])
        if _JSON_NUL in body:
            try:
                document = json.loads(body)
            except ValueError:
                return  # invalid JSON: the endpoint's own parsing answers it
            fault = next(_nul_in(document, ["body"]), None)
            if fault is not None:
                raise _nul_fault(fault)
    elif media == b"application/x-www-form-urlencoded" and (b"%00" in body or b"\x00" in body):
        for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if NUL in name or NUL in value:
                raise _nul_fault(["body", name.replace(NUL, "")])


class InputGuardMiddleware:
    """Pure ASGI: bounds the body (413), its JSON depth (422) and refuses NUL (422), before the app sees any of it."""

    def __init__(self, app: ASGIApp, limit: BodyLimit | None = None) -> None:
        self.app = app
        self.limit = limit or body_limit()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            _check_url(scope)
            limit = self.limit(scope.get("path", ""))
            if limit is not None and _has_body(scope):
                declared = _declared_length(scope)
                if declared is not None and declared > limit:
                    raise _too_large(limit)
                messages, body = await _read_body(receive, limit)
                _check_body(_media_type(scope), body)
                receive = _replay(messages, receive)
        except _Refused as refused:
            request_id = scope.get("state", {}).get("request_id")
            response = problem_response(
                refused.status,
                code=refused.code,
                detail=refused.detail,
                correlation_id=request_id if isinstance(request_id, str) else None,
                errors=refused.errors,
                # The rest of an oversized body is not read: the connection cannot carry another request.
                headers={"Connection": "close"} if refused.status == 413 else None,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _has_body(scope: Scope) -> bool:
    declared = _declared_length(scope)
    if declared is not None:
        return declared > 0
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers") or ())


def _too_large(limit: int) -> _Refused:
    return _Refused(413, "payload_too_large", f"The request body may have at most {limit} bytes")


async def _read_body(receive: Receive, limit: int) -> tuple[list[Message], bytes]:
    """Every message of the request body (a disconnect ends it) and the bytes they carry; 413 past `limit`."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return messages, b"".join(chunks)


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that gives the messages already read, then whatever the client sends next (a disconnect)."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay
