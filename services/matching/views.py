"""What every presenter of matching does first: a response filled from a row's columns of the same names."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

# The answers a list for staff can give besides its page: the caller's role or region, or a malformed query.
REGION_LIST: dict[int | str, dict[str, Any]] = {
    403: {"description": "Wrong role, or a region outside your jurisdiction"},
    422: {"description": "Invalid query; `errors` names each parameter"},
}
WRONG_ROLE: dict[int | str, dict[str, Any]] = {403: {"description": "Wrong role"}}


def from_row(model: type[M], row: object, /, **given: Any) -> M:
    """`model` with each field the row holds under the same name, and `given` for the fields named otherwise or
    worked out (a masked person, whether a hit is overdue)."""
    same = {name: getattr(row, name) for name in model.model_fields if name not in given and hasattr(row, name)}
    return model.model_validate({**same, **given})
