"""Monthly figures added up by child region (issue 22), for the services whose figures are sums of amounts or kept
rows rather than counts of one table (casework, disbursement); the month and region are checked by
`libs.modules.figures_by_region.window_of`, as for every service.

Each service counts its own figures (libs.contracts.statistics) in one grouped query per table, by the region one
level below the one asked for; the region's own figures are the sum of its children's, so a county and the sum of its
townships cannot disagree. Figures that are not sums (an average) are derived from summed ones after adding up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_, func, literal, literal_column
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from libs.contracts.clock import CHINA_TZ
from libs.contracts.period import Period
from libs.contracts.statistics import FigureSet, MonthlyFigures
from libs.kernel.region_names import RegionNames, names_under
from libs.modules.figures_by_region import Window


@dataclass(frozen=True)
class Scope:
    """The month and region asked for, and the level its children are counted at (`child_len` = 0: a village)."""

    month: Period
    region: str
    child_len: int

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.month.first_day, dt.time(), CHINA_TZ)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the month (Beijing time): "at the month's end" is before it."""
        return dt.datetime.combine(self.month.next().first_day, dt.time(), CHINA_TZ)

    @property
    def group_len(self) -> int:
        return self.child_len or len(self.region)

    def area(self, column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[str]:
        """The child region a row's code falls in (the region itself when it is a village)."""
        # Inline numbers (never user text: a level's length), so the grouped and selected expressions are one.
        return func.substr(column, literal_column("1"), literal_column(str(self.group_len)))

    def within(self, column: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[bool]:
        """Codes under the region, as a range an index on the code serves (codes are digits)."""
        if not self.region:
            return literal(True)
        upper = _next_prefix(self.region)
        low = column >= self.region
        return low if upper is None else and_(low, column < upper)


def _next_prefix(prefix: str) -> str | None:
    """The smallest digit string of the same length above `prefix`; None for "99…" (no upper bound needed)."""
    if set(prefix) == {"9"}:
        return None
    return str(int(prefix) + 1).zfill(len(prefix))


def scope_of(window: Window) -> Scope:
    """The scope of a checked month and region (libs.modules.figures_by_region.window_of: 422 for a month outside
    2000-01 … now, 403 outside the jurisdiction)."""
    return Scope(window.month, window.region, window.child_length or 0)


Rows = Iterable[tuple[str, str, int]]  # (area, figure key, value)


@dataclass
class Tally:
    """Figures by child region, added up from grouped query rows."""

    scope: Scope
    keys: tuple[str, ...]

    def __post_init__(self) -> None:
        self.by_area: dict[str, dict[str, int]] = {}

    def add(self, rows: Rows) -> None:
        for area, key, value in rows:
            figures = self.by_area.setdefault(area, dict.fromkeys(self.keys, 0))
            # A figure a stored month has and this release no longer names is left out, not an error.
            if key in figures:
                figures[key] += int(value)

    async def figures(
        self,
        session: AsyncSession,
        names_table: Table,
        service: str,
        derive: Callable[[dict[str, int]], Mapping[str, int]],
    ) -> MonthlyFigures:
        names = await names_under(session, names_table, self.scope.region)
        scope = self.scope
        areas = set(self.by_area)
        if scope.child_len:
            areas |= {c for c in names.names if len(c) == scope.child_len}
        total = dict.fromkeys(self.keys, 0)
        for figures in self.by_area.values():
            for key, value in figures.items():
                total[key] += value
        children = [] if not scope.child_len else [self._set(a, names, derive) for a in sorted(areas)]
        region = FigureSet(
            region_code=scope.region, region_name=_name(names, scope.region), figures={**total, **derive(total)}
        )
        return MonthlyFigures(service=service, month=str(scope.month), region=region, children=children)

    def _set(self, area: str, names: RegionNames, derive: Callable[[dict[str, int]], Mapping[str, int]]) -> FigureSet:
        figures = self.by_area.get(area) or dict.fromkeys(self.keys, 0)
        return FigureSet(region_code=area, region_name=_name(names, area), figures={**figures, **derive(figures)})


def _name(names: RegionNames, code: str) -> str:
    return "全国" if not code else names.name(code)


def ratio(numerator: int, denominator: int) -> int:
    """A whole-number average (fen per person), rounded half up; 0 over nothing."""
    return 0 if denominator <= 0 else (2 * numerator + denominator) // (2 * denominator)
