"""What a value type raises for a value that breaks its rules (an identity number, a region code, an amount, a month, a
year schedule): a `ValueError`, so that Pydantic answers it as a validation error, with a stable `code` that goes into
API error bodies and the message that says what is wrong."""

from __future__ import annotations


class InvalidValue(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
