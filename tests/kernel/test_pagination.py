from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, Select, String, Table, desc, select
from sqlalchemy.dialects import postgresql

from libs.kernel.errors import Unprocessable
from libs.kernel.pagination import Page, PageAsked, decode_cursor, encode_cursor, keyset_page, page_of


def test_a_cursor_round_trips_a_composite_keyset() -> None:
    cursor = encode_cursor(["2026-03-30", 42])
    assert decode_cursor(cursor, arity=2) == ["2026-03-30", 42]
    assert decode_cursor(None) is None
    assert decode_cursor("") is None


@pytest.mark.parametrize("cursor", ["not base64 !!", "e30", encode_cursor(["a"]) + "x", encode_cursor([1, 2])])
def test_a_cursor_we_did_not_issue_is_a_422(cursor: str) -> None:
    with pytest.raises(Unprocessable) as caught:
        decode_cursor(cursor, arity=1)
    assert caught.value.instance_code == "invalid_cursor"


def test_a_page_is_cut_at_the_limit_and_points_after_its_last_item() -> None:
    rows = [("b", 2), ("c", 3), ("d", 4)]
    page = page_of(rows, 2, key=lambda r: [r[0], r[1]], item=lambda r: r[0])
    assert page.items == ["b", "c"]
    assert decode_cursor(page.next_cursor, arity=2) == ["c", 3]
    last: Page[str] = page_of(rows[:2], 2, key=lambda r: [r[0]], item=lambda r: r[0])
    assert last.next_cursor is None


def test_a_page_asked_reads_its_cursor_as_typed_keys_and_serves_its_limit() -> None:
    first = PageAsked(None, 2)
    assert first.after(tuple[str, int]) is None
    assert first.after_key(int) is None
    page = first.of([3, 4, 5], key=lambda n: (n,), item=str)
    assert page.items == ["3", "4"]
    assert PageAsked(page.next_cursor, 2).after_key(int) == 4
    assert PageAsked(encode_cursor(["2026-03-30", 7]), 2).after(tuple[str, int]) == ("2026-03-30", 7)
    with pytest.raises(Unprocessable):
        PageAsked(encode_cursor(["four"]), 2).after_key(int)


_ROWS = Table("rows", MetaData(), Column("day", String), Column("id", Integer))


def _sql(stmt: Select[Any]) -> str:
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return " ".join(str(stmt.compile(dialect=dialect)).split())


def test_a_whole_row_keyset_compares_the_keys_as_one_row_the_way_they_all_run() -> None:
    day, id_ = _ROWS.c.day, _ROWS.c.id
    ascending = _sql(keyset_page(select(_ROWS), (day, id_), ("2026-03-30", 7), 10, whole_row=True))
    assert "WHERE (rows.day, rows.id) > (" in ascending
    assert "ORDER BY rows.day, rows.id" in ascending
    descending = _sql(keyset_page(select(_ROWS), (desc(day), desc(id_)), ("2026-03-30", 7), 10, whole_row=True))
    assert "WHERE (rows.day, rows.id) < (" in descending
    assert "ORDER BY rows.day DESC, rows.id DESC" in descending
    with pytest.raises(ValueError, match="runs one way"):
        keyset_page(select(_ROWS), (desc(day), id_), ("2026-03-30", 7), 10, whole_row=True)
