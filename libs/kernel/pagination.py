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
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Generic, TypeVar, TypeVarTuple, cast, get_args

from fastapi import Depends, Query
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import ColumnElement, Select, UnaryExpression, and_, literal, or_, tuple_
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql import operators

from libs.kernel.errors import InvalidCursor

T = TypeVar("T")
R = TypeVar("R")
Ts = TypeVarTuple("Ts")
K = TypeVar("K")
JsonKey = str | int | float | bool | None
# What a keyset page is ordered by: a mapped column, or an expression such as `desc(column)`.
SortKey = ColumnElement[Any] | QueryableAttribute[Any]

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


@dataclass(frozen=True)
class PageAsked:
    """The page a list route was asked for (`?cursor=&limit=`): where it starts, and how many items it serves."""

    cursor: str | None
    limit: int

    def after(self, shape: type[K]) -> K | None:
        """The keyset the page starts after, read as `shape` (`decode_keyset`); None for the first page."""
        return decode_keyset(self.cursor, shape)

    def after_key(self, kind: type[K]) -> K | None:
        """`after` for a list in the order of one key: that key, or None for the first page."""
        keyset = self.after(cast(type[tuple[K]], tuple[kind]))  # type: ignore[valid-type]
        return keyset[0] if keyset is not None else None

    def of(self, rows: Sequence[R], key: Callable[[R], Sequence[JsonKey]], item: Callable[[R], T]) -> Page[T]:
        """`page_of` this page's `limit + 1` rows."""
        return page_of(rows, self.limit, key, item)


def _page_asked(cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT) -> PageAsked:
    return PageAsked(cursor, limit)


# A list route's `cursor` and `limit` query parameters, as one.
Paging = Annotated[PageAsked, Depends(_page_asked)]


def keyset_page(
    stmt: Select[*Ts], order: Sequence[SortKey], after: Sequence[Any] | None, limit: int, *, whole_row: bool = False
) -> Select[*Ts]:
    """`stmt` in `order` (columns, ascending unless wrapped in `desc()`), from the row after the keyset `after`
    (None: from the first), one row past `limit` for `page_of`.

    `whole_row` compares the keyset as one row, `(a, b) > (x, y)` (`<` when every key runs descending): the form a
    composite index on the keys serves, for a list whose keys all run one way."""
    if after is not None:
        stmt = stmt.where(_row_beyond(order, after) if whole_row else _beyond(order, after))
    return stmt.order_by(*order).limit(limit + 1)


def _row_beyond(order: Sequence[SortKey], after: Sequence[Any]) -> ColumnElement[bool]:
    columns = [_sort_key(key) for key in order]
    ways = {descending for _, descending in columns}
    if len(ways) != 1:
        raise ValueError("A row comparison runs one way: every key ascending, or every key descending")
    row = tuple_(*(column for column, _ in columns))
    keyset = tuple_(*(literal(value) for _, value in zip(columns, after, strict=True)))
    return row < keyset if ways.pop() else row > keyset


def _beyond(order: Sequence[SortKey], after: Sequence[Any]) -> ColumnElement[bool]:
    # (a > x) OR (a = x AND b > y) OR ...: written out rather than as one row comparison, so that each column can
    # run its own way (a descending one compares with <).
    columns = [_sort_key(key) for key in order]
    either = []
    for i, ((column, descending), value) in enumerate(zip(columns, after, strict=True)):
        ties = [c == v for (c, _), v in zip(columns[:i], after[:i], strict=True)]
        either.append(and_(*ties, column < value if descending else column > value))
    return or_(*either)


def _sort_key(key: SortKey) -> tuple[SortKey, bool]:
    """The column an ORDER BY key sorts by, and whether it runs descending."""
    if isinstance(key, UnaryExpression) and key.modifier is operators.desc_op:
        return key.element, True
    return key, False
