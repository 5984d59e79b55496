"""What disbursement's presenters share: amounts as the API writes them, and a response filled from a row.

Most fields of a response are a row's columns under the same name; a presenter names only the fields the API shows
otherwise (an id under its API name, a masked name, an amount in yuan, a month as YYYY-MM)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from libs.contracts.money import Money

Out = TypeVar("Out", bound=BaseModel)


def yuan(fen: int) -> str:
    return Money.from_fen(fen).to_str()


def shown(schema: type[Out], row: object, **differing: Any) -> Out:
    """`schema` filled from `row`'s attributes of the same names, except the fields given in `differing`; a field the
    row lacks and `differing` does not give is a mistake, and fails here."""
    same = {name: getattr(row, name) for name in schema.model_fields if name not in differing}
    return schema.model_validate({**same, **differing})
