"""Severe disability and completed years, as intake and casework both decide eligibility with them (DOMAIN.md §2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from libs.contracts.ages import age_on
from libs.contracts.disability import DisabilityKind, severely_disabled


@dataclass(frozen=True)
class Person:
    disability_grade: int | None
    disability_kind: str | None


@pytest.mark.parametrize(
    ("grade", "kind", "severe"),
    [
        (1, DisabilityKind.PHYSICAL, True),
        (2, DisabilityKind.VISUAL, True),
        (3, DisabilityKind.INTELLECTUAL, True),
        (3, DisabilityKind.MENTAL, True),
        (3, DisabilityKind.PHYSICAL, False),
        (3, DisabilityKind.MULTIPLE, False),
        (4, DisabilityKind.MENTAL, False),
        (None, None, False),
        # Casework holds the kind as the stored string.
        (3, "mental", True),
        (3, "physical", False),
    ],
)
def test_severely_disabled(grade: int | None, kind: str | None, severe: bool) -> None:
    assert severely_disabled(Person(grade, kind)) is severe


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1966, 6, 15), date(2026, 6, 14), 59),
        (date(1966, 6, 15), date(2026, 6, 15), 60),
        (date(2010, 12, 31), date(2026, 12, 30), 15),
        (date(2010, 12, 31), date(2026, 12, 31), 16),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2026, 1, 1), date(2026, 1, 1), 0),
    ],
)
def test_age_on_counts_completed_years(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age
