"""What every presenter does first: a response model filled from a row's columns of the same names."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def from_row(model: type[M], row: object, /, **given: Any) -> M:
    """`model` with each field the row holds under the same name, and `given` for the fields named otherwise or
    worked out (a masked person, an amount in yuan). A required field that neither gives fails validation here."""
    same = {name: getattr(row, name) for name in model.model_fields if name not in given and hasattr(row, name)}
    return model.model_validate({**same, **given})
