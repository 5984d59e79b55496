"""A raise for a household imported with its amounts and no case (issue 20): its decision's facts are not in Jiuzhu,
but the rules that made its amount are, so the raise moves the amount by what the figures moved. Pure.

- dibao is standard × members − the household's income (补差), so a new standard adds its difference per member
  (单人保: for the one person);
- 特困 is the basic living standard plus the care standard of the person's self-care level: the level is the care
  figure the old amount holds beyond the old basic standard;
- the flat allowances (children's allowances, elderly allowances, the two disability subsidies, …) are the figure
  itself: an amount equal to the old figure becomes the new one.

Anything else (an amount no old figure explains, a figure not set, a program without a rule here) is `None`: left
as it is for a review by hand, as before.
"""

from __future__ import annotations

from libs.contracts.programs import Program
from services.casework.local_figures.figures import FLAT_AMOUNT_FIGURES, Standards

# The figures a flat program's amount is one of (the care subsidy has a figure per disability grade).
_FLAT: dict[Program, tuple[str, ...]] = {
    **{program: (name,) for program, name in FLAT_AMOUNT_FIGURES.items()},
    Program.DISABILITY_LIVING: ("disability_living_fen",),
    Program.DISABILITY_CARE: ("disability_care_grade1_fen", "disability_care_grade2_fen"),
}
_CARE = ("tekun_care_self_fen", "tekun_care_partial_fen", "tekun_care_full_fen")
_TEKUN = frozenset({Program.TEKUN_CENTRALIZED, Program.TEKUN_DISPERSED})


def _figure(standards: Standards, name: str) -> int | None:
    value = getattr(standards, name)
    return value if isinstance(value, int) else None


def raised_amount(program: Program, amount_fen: int, members: int, before: Standards, after: Standards) -> int | None:
    """The imported entitlement's amount under `after`, given it was paid under `before`; None: review it by hand."""
    if program in (Program.DIBAO, Program.DIBAO_SINGLE):
        old, new = before.dibao_standard_fen, after.dibao_standard_fen
        if old is None or new is None or members < 1:
            return None
        return amount_fen + (new - old) * (members if program is Program.DIBAO else 1)
    if program in _TEKUN:
        return _tekun(amount_fen, before, after)
    for name in _FLAT.get(program, ()):
        if _figure(before, name) == amount_fen:
            return _figure(after, name)
    return None


def _tekun(amount_fen: int, before: Standards, after: Standards) -> int | None:
    old_basic, new_basic = before.tekun_basic_fen, after.tekun_basic_fen
    if old_basic is None or new_basic is None:
        return None
    levels = [name for name in _CARE if _figure(before, name) == amount_fen - old_basic]
    if len(levels) != 1:  # no level, or two levels with the same figure: the amount does not say which
        return None
    care = _figure(after, levels[0])
    return None if care is None else new_basic + care
