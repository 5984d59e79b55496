"""One error a caller can receive: its stable code, HTTP status and what it means in English and Simplified Chinese."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ErrorCode:
    code: str  # snake_case, stable: partners and the console branch on it
    status: int
    en: str
    zh: str  # in the words of the notices: what a staff member reads
