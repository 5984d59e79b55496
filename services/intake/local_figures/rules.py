"""Procedure figures and the limits the nation sets on them (DOMAIN.md §3.3, seed 001 §4, seed 004 §7)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Self

# National caps: 30 working days from acceptance, 45 in special cases (seed 001 §4). Regions may only be stricter.
NATIONAL_DECISION_DAYS = 30
NATIONAL_EXTENDED_DAYS = 45


@dataclass(frozen=True, slots=True)
class ProcedureFigures:
    decision_days: int
    extended_days: int
    # Emergency temporary assistance: from discovery to payment in 3 working days in principle (seed 004 §7).
    emergency_days: int
    # Leads must be followed up "promptly" (seed 001 §3, 及时); 5 working days unless a region sets otherwise.
    lead_days: int
    # The high-age allowance starts at 80 in most provinces; some pay from 70 or 90 (local).
    high_age_min_years: int

    @classmethod
    def read(cls, source: object) -> Self:
        """The figures carried by `source` (a stored rule, a request) under the same names."""
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})


NATIONAL_DEFAULTS = ProcedureFigures(
    decision_days=NATIONAL_DECISION_DAYS,
    extended_days=NATIONAL_EXTENDED_DAYS,
    emergency_days=3,
    lead_days=5,
    high_age_min_years=80,
)


def figure_violations(figures: ProcedureFigures) -> list[tuple[str, str, str]]:
    """(field, code, message) for each figure a region may not set."""
    out: list[tuple[str, str, str]] = []
    if not 1 <= figures.decision_days <= NATIONAL_DECISION_DAYS:
        out.append(("decision_days", "above_national_cap", f"decision_days must be 1 to {NATIONAL_DECISION_DAYS}"))
    if not figures.decision_days <= figures.extended_days <= NATIONAL_EXTENDED_DAYS:
        out.append(
            (
                "extended_days",
                "above_national_cap",
                f"extended_days must be between decision_days and {NATIONAL_EXTENDED_DAYS}",
            )
        )
    if not 1 <= figures.emergency_days <= figures.decision_days:
        out.append(("emergency_days", "out_of_range", "emergency_days must be 1 to decision_days"))
    if not 1 <= figures.lead_days <= 30:
        out.append(("lead_days", "out_of_range", "lead_days must be 1 to 30"))
    if not 60 <= figures.high_age_min_years <= 100:
        out.append(("high_age_min_years", "out_of_range", "high_age_min_years must be 60 to 100"))
    return out
