"""The problem answers matching's routers share; presenters fill responses with `libs.kernel.presenters.from_row`."""

from __future__ import annotations

from typing import Any

# The answers a list for staff can give besides its page: the caller's role or region, or a malformed query.
REGION_LIST: dict[int | str, dict[str, Any]] = {
    403: {"description": "Wrong role, or a region outside your jurisdiction"},
    422: {"description": "Invalid query; `errors` names each parameter"},
}
WRONG_ROLE: dict[int | str, dict[str, Any]] = {403: {"description": "Wrong role"}}
