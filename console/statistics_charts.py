"""The 统计分析 page's charts as data: what Apache ECharts draws (console/static/statistics.js only hands it over) and
the same figures as a table beside each chart, for those who cannot see it (a chart is never the only carrier).

Values are the services' own figures (amounts in yuan, from their fen); a month or region a service did not answer is
a gap in the line (null) and "—" in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from console.statistics_figures import PAGE_COLUMNS, TREND_PROGRAMS, Column, Line, MonthAnswers, program_columns
from libs.contracts.period import Period
from libs.contracts.programs import PROGRAM_NAMES


@dataclass(frozen=True)
class Series:
    column: Column
    values: list[int | None]  # as the service counts: fen for 元

    @property
    def name(self) -> str:
        return self.column.heading

    def shown(self) -> list[float | int | None]:
        """What the chart plots: yuan for amounts."""
        if self.column.unit != "元":
            return list(self.values)
        return [None if v is None else float(Decimal(v) / 100) for v in self.values]


@dataclass(frozen=True)
class Chart:
    key: str  # the page's element ids derive from it
    title: str
    kind: str  # "line" or "bar"
    categories: list[str]
    series: list[Series]

    def option(self) -> dict[str, Any]:
        """The chart's data for statistics.js: counts on the left axis, amounts (元) on the right."""
        units = sorted({s.column.unit == "元" for s in self.series})
        axes = ["元" if money else "户/人/件" for money in units]
        return {
            "kind": self.kind,
            "categories": self.categories,
            "axes": axes,
            "series": [
                {"name": s.name, "values": s.shown(), "axis": units.index(s.column.unit == "元")} for s in self.series
            ],
        }

    def rows(self) -> list[tuple[str, list[int | None]]]:
        """The table beside the chart: one row per category."""
        return [(category, [s.values[i] for s in self.series]) for i, category in enumerate(self.categories)]

    @property
    def empty(self) -> bool:
        return all(v is None for s in self.series for v in s.values)


def month_label(month: str) -> str:
    period = Period.parse(month)
    return f"{period.year}年{period.month}月"


def trend_charts(months: list[MonthAnswers]) -> list[Chart]:
    """Per program, the households and persons on the register at each month's end and the amount paid in it."""
    charts = []
    for program in TREND_PROGRAMS:
        totals = [m.total() for m in months]
        series = [Series(c, [t.value(c) for t in totals]) for c in program_columns(program)]
        title = f"{PROGRAM_NAMES[program]}近{len(months)}个月趋势"
        charts.append(Chart(f"trend-{program}", title, "line", [month_label(m.month) for m in months], series))
    return charts


BAR_COLUMNS: list[Column] = [PAGE_COLUMNS[0], PAGE_COLUMNS[4], PAGE_COLUMNS[7]]  # households, applications, hits


def child_level(code: str) -> str:
    """What the regions one level below `code` are called."""
    return {0: "省", 2: "市", 4: "县（市、区）", 6: "乡镇（街道）", 9: "村（社区）"}.get(len(code), "地区")


def bars_by_child(answers: MonthAnswers) -> Chart:
    children: list[Line] = answers.children()
    total = answers.total()
    series = [Series(c, [child.value(c) for child in children]) for c in BAR_COLUMNS]
    return Chart("bars-children", f"{total.name}各{child_level(total.code)}对比", "bar",
                 [child.name for child in children], series)  # fmt: skip
