"""The figures a region sets for when its rosters' money must have reached the payees (seed 001 三(四): "确保 10 日前
发放到位"); the submission day (the 5th) stays the service's setting, the same for every county."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from services.disbursement.deadlines.models import DeadlineFigure


@dataclass(frozen=True, slots=True)
class DeadlineFigures:
    # Finance pays a month's roster by this day of that month; a line paid later, or still pending after it, is late.
    paid_by_day: int

    @classmethod
    def read(cls, row: DeadlineFigure) -> Self:
        return cls(paid_by_day=row.paid_by_day)


NATIONAL_DEFAULTS = DeadlineFigures(paid_by_day=10)
