"""Certified disability (残疾人证): the kinds and grades a member declares, and which of them count as severe (pure).

"Severe" (一二级残疾或三级智力/精神残疾) opens 单人保, 特困 for a person of working age and the care subsidy
(DOMAIN.md §2; seed 004 "重病重残"). Intake checks it on the declared application and casework again when it
calculates, so both read it here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class DisabilityKind(StrEnum):
    VISUAL = "visual"
    HEARING = "hearing"
    SPEECH = "speech"
    PHYSICAL = "physical"
    INTELLECTUAL = "intellectual"
    MENTAL = "mental"
    MULTIPLE = "multiple"


# Grade 3 of these kinds counts as severe, and the care subsidy pays it as grade 2 (DOMAIN.md §2).
SEVERE_AT_GRADE_3: frozenset[DisabilityKind] = frozenset({DisabilityKind.INTELLECTUAL, DisabilityKind.MENTAL})


class Declared(Protocol):
    """A person as declared on an application or recorded on a case: a grade with its kind, or neither."""

    @property
    def disability_grade(self) -> int | None: ...

    @property
    def disability_kind(self) -> str | None: ...


def severely_disabled(person: Declared) -> bool:
    """Grade 1–2 of any kind, or grade 3 intellectual or mental; no certified disability is not severe."""
    grade = person.disability_grade
    return grade in (1, 2) or (grade == 3 and person.disability_kind in SEVERE_AT_GRADE_3)
