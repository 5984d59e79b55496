"""Ages as the programmes count them (pure): completed years, 周岁.

Eligibility turns on ages (特困 under 16 or from 60, children's allowances until 18, DOMAIN.md §2), computed from an
identity number's birth date in intake and from a member's recorded birth date in casework; both count with this one
function, so a person is never 60 in one service and 59 in the other on the same day.
"""

from __future__ import annotations

from datetime import date


def age_on(born: date, day: date) -> int:
    """Completed years on `day`: the age goes up on the birthday (for 29 February, on 1 March in other years).
    A day before the birth gives a negative age; callers holding a validated birth date refuse it themselves."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
