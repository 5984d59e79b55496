"""A service's monthly figures by region (issue 22, docs/architecture.md "Statistics"): the month and region asked
for, checked; one grouped count per table, by the region one level below; the answer in the shape of
`libs.contracts.statistics.MonthlyFigures`, with the names from the service's own `region_names` table.

Every figure here is a count of rows, and every row lies in one region, so a region's figure is the sum of its
children's. Rows placed above the child level (a complaint filed at the county, a hit on a household with no township)
are shown as the region's own line ("本级") rather than lost, so the sum holds for every figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query
from sqlalchemy import ColumnElement, Table, and_, bindparam, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import CHINA_TZ, business_date
from libs.contracts.period import InvalidPeriod, Period
from libs.contracts.statistics import FigureSet, Labels, MonthlyFigures
from libs.kernel.auth import Principal, jurisdiction_prefix
from libs.kernel.errors import Unprocessable
from libs.kernel.region_names import LEVELS, RegionNames, names_under

# Jiuzhu keeps no ledger from before 2000; an earlier month is a typing error, not a question.
EARLIEST = Period(2000, 1)
NATION = "全国"

MonthQuery = Annotated[
    str, Query(pattern=r"^[0-9]{4}-[0-9]{2}$", description="The month counted, YYYY-MM (2000-01 to this month)")
]
RegionQuery = Annotated[
    str | None,
    Query(
        pattern=r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$",
        description="A province, city, county, township or village code in your jurisdiction; yours by default",
    ),
]

STATISTICS_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The region is outside your jurisdiction, or your role does not read these figures"},
    422: {"description": "The month is malformed, in the future or before 2000-01, or the region is malformed"},
}


class StatisticsMonthOutOfRange(Unprocessable):
    code = "statistics_month_out_of_range"


class InvalidStatisticsMonth(Unprocessable):
    code = "invalid_period"


@dataclass(frozen=True)
class Window:
    """The month and region being counted. `as_of` is the moment a stock figure ("still open past its due date") is
    taken: the month's end, or now for the current month; `as_of_day` the first day not yet passed at that moment."""

    month: Period
    region: str
    child_length: int | None
    start: dt.datetime
    end: dt.datetime
    as_of: dt.datetime
    as_of_day: dt.date

    def during(self, column: Any) -> ColumnElement[bool]:
        """A timestamp within the month (China Standard Time)."""
        return and_(column >= self.start, column < self.end)

    def day_during(self, column: Any) -> ColumnElement[bool]:
        """A date within the month."""
        return and_(column >= self.month.first_day, column <= self.month.last_day)

    def not_yet(self, column: Any) -> ColumnElement[bool]:
        """A timestamp that had not happened at `as_of` (an item still open then)."""
        return or_(column.is_(None), column >= self.as_of)

    def within(self, column: Any) -> ColumnElement[bool]:
        """A region code under the region. The prefix (digits only, checked) is inlined into the SQL so the planner
        can use the text_pattern_ops index on the column, which a bound parameter would hide from a generic plan."""
        if not self.region:
            return literal(True)
        like: ColumnElement[bool] = column.like(bindparam(None, self.region + "%", literal_execute=True))
        return like

    def child(self, column: Any) -> ColumnElement[str]:
        """The region one level below that a row's region code falls in (shorter codes stay as they are)."""
        if self.child_length is None:
            return literal(self.region)
        return func.substr(column, 1, self.child_length)


def window_of(principal: Principal, month: str, region: str | None, now: dt.datetime) -> Window:
    """The month and region asked for: 422 for a month that is malformed, in the future or before 2000-01; 403 for a
    region outside the caller's jurisdiction (the jurisdiction itself when no region is asked for)."""
    try:
        period = Period.parse(month)
    except InvalidPeriod as exc:
        raise InvalidStatisticsMonth(exc.message) from exc
    today = business_date(now)
    if period < EARLIEST or period > Period.of(today):
        raise StatisticsMonthOutOfRange(f"The month must be between {EARLIEST} and {Period.of(today)}")
    prefix = jurisdiction_prefix(principal, region)
    below = [n for n in LEVELS if n > len(prefix)]
    start = dt.datetime.combine(period.first_day, dt.time(), CHINA_TZ)
    end = dt.datetime.combine(period.last_day + dt.timedelta(days=1), dt.time(), CHINA_TZ)
    as_of = min(end, now)
    return Window(
        month=period,
        region=prefix,
        child_length=below[0] if below else None,
        start=start,
        end=end,
        as_of=as_of,
        as_of_day=end.date() if as_of == end else today,
    )


Counts = dict[str, dict[str, int]]  # child region code → figure key → count


async def count_by_child(
    session: AsyncSession,
    window: Window,
    region_column: Any,
    touched: ColumnElement[bool],
    figures: Sequence[tuple[str, ColumnElement[bool]]],
    split_by: Any | None = None,
) -> Counts:
    """One grouped scan of a table: for each child region, how many rows meet each figure's condition. `touched` is
    the disjunction of the figures' conditions, so only rows that count somewhere are read. With `split_by` (a
    column such as a hit's source), each figure is also counted per value of it, as `<key>_<value>`: one more
    grouping column costs far less than a filtered count per value."""
    child = window.child(region_column).label("child")
    group = [child, split_by] if split_by is not None else [child]
    columns = [func.count().filter(condition).label(key) for key, condition in figures]
    statement = select(*group, *columns).where(window.within(region_column), touched).group_by(*group)
    counts: Counts = defaultdict(lambda: defaultdict(int))
    for row in (await session.execute(statement)).all():
        into = counts[str(row[0])]
        for (key, _), n in zip(figures, row[len(group) :], strict=True):
            into[key] += int(n)
            if split_by is not None:
                into[f"{key}_{row[1]}"] += int(n)
    return {code: dict(figures) for code, figures in counts.items()}


def merged(*parts: Counts) -> Counts:
    total: Counts = defaultdict(dict)
    for part in parts:
        for code, figures in part.items():
            for key, n in figures.items():
                total[code][key] = total[code].get(key, 0) + n
    return dict(total)


def _region_name(names: RegionNames, code: str) -> str:
    return names.path(code) if code else NATION


async def monthly_figures(
    session: AsyncSession, names_table: Table, service: str, window: Window, labels: Labels, counts: Counts
) -> MonthlyFigures:
    """The region's figures and each child's, every labelled key present (0 when nothing counted)."""
    names = await names_under(session, names_table, window.region)
    length = window.child_length
    children = {code for code in names.names if length is not None and len(code) == length}
    children |= {code for code in counts if code != window.region and len(code) == length}

    def figure_set(code: str, name: str, figures: Mapping[str, int]) -> FigureSet:
        return FigureSet(region_code=code, region_name=name, figures={k: figures.get(k, 0) for k in labels})

    own = merged(*({window.region: f} for code, f in counts.items() if code not in children))
    sets = [figure_set(code, names.name(code), counts.get(code, {})) for code in sorted(children)]
    if own:
        # Rows placed in the region itself or at a level between it and its children.
        sets.append(
            figure_set(
                window.region, f"{names.name(window.region) if window.region else NATION}本级", own[window.region]
            )
        )
    total = merged(*({window.region: f} for f in counts.values()))
    return MonthlyFigures(
        service=service,
        month=str(window.month),
        region=figure_set(window.region, _region_name(names, window.region), total.get(window.region, {})),
        children=sets if length is not None else [],
    )
