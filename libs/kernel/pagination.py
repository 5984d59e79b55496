"""Cursor pagination as every list in the API does it (CONTRACTS.md, common rules).

`?cursor=&limit=` (default 100, max 1000) → `{"items": [...], "next_cursor": "..." | null}`. A cursor is the keyset
of the last item served (one or more sort keys, e.g. `(due_date, id)` for "overdue first"), base64url JSON: opaque to
callers, stable under inserts, and a cursor we did not issue is a 422, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from functools import cache
from typing import Annotated, Any, Generic, TypeVar, cast, get_args

from fastapi import Query
from pydantic import BaseModel, TypeAdapter, ValidationError

from libs.kernel.errors import InvalidCursor

T = TypeVar("T")
R = TypeVar("R")
K = TypeVar("K")
JsonKey = str | int | float | bool | None

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[str | None, Query(max_length=1024, description="`next_cursor` of the previous page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(keys: Sequence[JsonKey]) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": list(keys)}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int = 1) -> list[Any] | None:
    """The keyset the page starts after (`arity` sort keys), or None for the first page."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise InvalidCursor("The cursor is not one this endpoint issued") from exc
    if not isinstance(after, list) or len(after) != arity:
        raise InvalidCursor("The cursor is not one this endpoint issued")
    return after


@cache
def _keyset_adapter(shape: Any) -> TypeAdapter[Any]:
    return TypeAdapter(shape)


def decode_keyset(cursor: str | None, shape: type[K]) -> K | None:
    """`decode_cursor` read as the typed tuple `shape` (e.g. `tuple[date, str]`); a mistyped key is a 422 too."""
    after = decode_cursor(cursor, len(get_args(shape)))
    if after is None:
        return None
    try:
        keyset: K = _keyset_adapter(cast(Any, shape)).validate_python(tuple(after))
    except ValidationError as exc:
        raise InvalidCursor("The cursor is not one this endpoint issued") from exc
    return keyset


def page_of(rows: Sequence[R], limit: int, key: Callable[[R], Sequence[JsonKey]], item: Callable[[R], T]) -> Page[T]:
    """Build a page from `limit + 1` fetched rows: the extra row only tells that another page exists."""
    served = rows[:limit]
    more = len(rows) > limit
    return Page[T](items=[item(r) for r in served], next_cursor=encode_cursor(key(served[-1])) if more else None)
