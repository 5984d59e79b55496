"""Requests carrying the NUL character (U+0000) are refused with a 422 problem before any endpoint runs.

PostgreSQL cannot store NUL in text, nor compare a text column with a value holding it: such a value reaching a query
was a 500 (`CharacterNotInRepertoireError`) wherever a path parameter, a query parameter or a JSON string went into
SQL unchecked by a pattern. Refusing it here, for every endpoint at once, makes it the 4xx the contracts promise for
any invalid request (CONTRACTS.md, common rules), and nothing has changed when it is refused.

NUL reaches an app only percent-encoded in the URL (`%00`) or escaped in JSON (`\\u0000`; a raw NUL byte makes the
JSON invalid, which FastAPI answers with a 422 already). So the URL costs a substring test, and a JSON body is parsed
here only when its bytes hold that escape. Other bodies (a registry feed's CSV or NDJSON) are not touched: their rows
are checked and rejected one by one where they are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from libs.kernel.errors import problem_response

NUL = "\x00"
_JSON_NUL = b"\\u0000"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_MESSAGE = "must not contain the NUL character (U+0000)"


def _is_json(scope: Scope) -> bool:
    for name, value in scope.get("headers") or ():
        if name == b"content-type":
            media = value.split(b";", 1)[0].strip().lower()
            return bool(
                media == b"application/json" or (media.startswith(b"application/") and media.endswith(b"+json"))
            )
    return False


def _url_fault(scope: Scope) -> list[str | int] | None:
    if NUL in scope.get("path", ""):
        return ["path"]
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query:
        for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
            if NUL in name or NUL in value:
                return ["query", name.replace(NUL, "")]
    return None


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


def _body_fault(body: bytes) -> list[str | int] | None:
    if _JSON_NUL not in body:
        return None
    try:
        document = json.loads(body)
    except ValueError:
        return None  # invalid JSON: the endpoint's own parsing answers it
    return next(_nul_in(document, ["body"]), None)


class TextGuardMiddleware:
    """Pure ASGI: refuses NUL in the path, the query or a JSON body with `422 validation_failed`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fault = _url_fault(scope)
        if fault is None and scope.get("method") in _BODY_METHODS and _is_json(scope):
            messages, body = await _read_body(receive)
            fault = _body_fault(body)
            receive = _replay(messages, receive)
        if fault is None:
            await self.app(scope, receive, send)
            return
        # Never the value itself: it may be personal data.
        request_id = scope.get("state", {}).get("request_id")
        where = ".".join(str(part) for part in fault)
        response = problem_response(
            422,
            code="validation_failed",
            detail=f"{where}: {_MESSAGE}",
            correlation_id=request_id if isinstance(request_id, str) else None,
            errors=[{"loc": fault, "msg": _MESSAGE, "type": "nul_character"}],
        )
        await response(scope, receive, send)


async def _read_body(receive: Receive) -> tuple[list[Message], bytes]:
    """Every message of the request body (a disconnect ends it), and the bytes they carry."""
    messages: list[Message] = []
    chunks: list[bytes] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
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
