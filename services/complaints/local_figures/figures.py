"""The figures a region sets for its complaints and their limits (DOMAIN.md §6: 5 working days by default, local)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Self


@dataclass(frozen=True, slots=True)
class PolicyFigures:
    # Working days from receipt to the answer, for items whose platform sets no deadline.
    reply_days: int
    # An item from the same caller, or about the same subject, within this many days of an earlier one is a repeat
    # petition linked to it, not a new matter (DOMAIN.md §6).
    repeat_window_days: int

    @classmethod
    def read(cls, source: object) -> Self:
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})


NATIONAL_DEFAULTS = PolicyFigures(reply_days=5, repeat_window_days=90)
