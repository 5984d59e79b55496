"""Validating what was stored, not what is entered.

The entry rules (bounded dates, names that cannot be formulas) hold at the door. A document stored before a rule
existed, and validated again when it is read back (a sealed application's content), must still open: a rule added
later must not turn an old record into a 500. Such reads pass `STORED` as the validation context.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationInfo

STORED: dict[str, Any] = {"read_back": True}


def read_back(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and info.context.get("read_back") is True
