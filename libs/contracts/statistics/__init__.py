"""Monthly figures (issue 22): the one shape in which every service answers for its own figures.

Decision (docs/architecture.md, "Statistics"): each owning service counts its own figures from its own tables, so a
figure always agrees with the ledger it comes from; nothing copies them into a read model that could drift. The
console and the monthly report put the five answers side by side. Each service names its figures in a module here
(`casework.py`, `disbursement.py`, …) with the Chinese label a page or a report shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pydantic import BaseModel, ConfigDict

from libs.contracts.programs import PROGRAM_NAMES, Program


class FigureSet(BaseModel):
    """One region's figures for one month: figure key → count or amount in fen (the key's label says which)."""

    model_config = ConfigDict(extra="forbid")

    region_code: str
    region_name: str
    figures: dict[str, int]


class MonthlyFigures(BaseModel):
    """`GET /api/v1/<service>/statistics?month=YYYY-MM&region=<code>`: the region's figures and, for drill-down
    (county → township → village), the same figures for each region one level below it."""

    model_config = ConfigDict(extra="forbid")

    service: str
    month: str
    region: FigureSet
    children: list[FigureSet]


# Figure key → (Chinese label, unit): "户", "人", "件", "个" (villages), "元" (stored in fen) or "%" (stored in tenths
# of a percent).
Labels = dict[str, tuple[str, str]]


def in_unit(unit: str, labels: Mapping[str, str]) -> Labels:
    """Figures counted in one unit: figure key → Chinese label, each with `unit`."""
    return {key: (label, unit) for key, label in labels.items()}


def per_program(programs: Iterable[Program], figures: Labels) -> Labels:
    """Each figure once per program, program by program: key `<figure>_<program>`, the program's name before the
    figure's label."""
    return {
        f"{key}_{program}": (f"{PROGRAM_NAMES[program]}{label}", unit)
        for program in programs
        for key, (label, unit) in figures.items()
    }
