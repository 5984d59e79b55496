"""The monthly report (.xlsx) and the 统计分析 page's figures, from the services' answers as they come: the report read
back with openpyxl (title, region names, numbers, rows summing to the region's total), the columns and charts exactly
the services' figures, and what a service that answers no statistics leaves ("—", named in a note)."""

from __future__ import annotations

import io
import random

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from console.pages.statistics import shown
from console.statistics_charts import bars_by_child, trend_charts
from console.statistics_figures import (
    PAGE_COLUMNS,
    REPORT_COLUMNS,
    TREND_PROGRAMS,
    MonthAnswers,
    paid_keys,
    parent_of,
    rate,
    trend_months,
)
from console.statistics_report import HEADER_ROWS, MISSING, monthly_report
from libs.contracts.statistics import FigureSet, MonthlyFigures
from libs.contracts.statistics import complaints as complaints_labels
from libs.contracts.statistics import intake as intake_labels
from libs.contracts.statistics import matching as matching_labels

CITY = "1407"
COUNTIES = {"140702": "榆次区", "140721": "榆社县", "140729": "灵石县"}
# Casework's and disbursement's keys as the report reads them (their label modules arrive with their statistics).
EXTRA_KEYS = {
    "casework": sorted({k for c in REPORT_COLUMNS + PAGE_COLUMNS if c.service == "casework" for k in c.keys}),
    "disbursement": sorted({k for c in REPORT_COLUMNS + PAGE_COLUMNS if c.service == "disbursement" for k in c.keys}),
}
KEYS = {
    "intake": sorted(intake_labels.LABELS),
    "matching": sorted(matching_labels.LABELS),
    "complaints": sorted(complaints_labels.LABELS),
    **EXTRA_KEYS,
}


def answer(service: str, month: str, rng: random.Random, with_own_line: bool = True) -> MonthlyFigures:
    """A service's answer as `figures_by_region` shapes it: children by code, the city's own "本级" line last, and the
    region's figures the sum of its children's."""
    names = dict(COUNTIES, **({CITY: "晋中市本级"} if with_own_line else {}))
    children = [
        FigureSet(region_code=code, region_name=name,
                  figures={k: rng.randint(0, 9_000_000 if "fen" in k else 900) for k in KEYS[service]})
        for code, name in names.items()
    ]  # fmt: skip
    total = {k: sum(c.figures[k] for c in children) for k in KEYS[service]}
    region = FigureSet(region_code=CITY, region_name="山西省晋中市", figures=total)
    return MonthlyFigures(service=service, month=month, region=region, children=children)


def answers_of(month: str, seed: int, services: tuple[str, ...] = tuple(KEYS)) -> MonthAnswers:
    rng = random.Random(seed)
    found = MonthAnswers(month)
    for service in KEYS:
        if service in services:
            found.answers[service] = answer(service, month, rng)
        else:
            found.missing.append(service)
    return found


def read_back(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_report_has_a_title_the_regions_by_name_and_rows_that_sum_to_the_total(seed: int) -> None:
    answers = answers_of("2026-11", seed)
    rows = read_back(monthly_report(answers))
    assert rows[0][0] == "山西省晋中市社会救助统计月报表"
    assert rows[1][0] == "统计月份：2026年11月"
    assert any("金额单位：元" in str(v) for v in rows[1])
    assert rows[2][0] == "地区"
    assert rows[2][1] == "最低生活保障"  # the programs' groups over their columns
    assert [rows[3][i] for i in (1, 2, 3)] == ["户数（户）", "人数（人）", "发放金额（元）"]
    body = rows[HEADER_ROWS : HEADER_ROWS + len(COUNTIES) + 2]
    assert [r[0] for r in body] == [*COUNTIES.values(), "晋中市本级", "合计"]
    assert not any(code in str(cell) for row in rows for cell in row for code in (CITY, *COUNTIES))  # names only
    for i, column in enumerate(REPORT_COLUMNS, start=1):
        figures = {s: a for s, a in answers.answers.items()}[column.service]
        expected_total = sum(figures.region.figures[k] for k in column.keys)
        cells = [r[i] for r in body]
        assert all(isinstance(c, int | float) for c in cells), column
        in_units = [round(float(str(c)) * 100) if column.unit == "元" else int(str(c)) for c in cells]
        assert in_units[-1] == expected_total, column.heading  # the service's own total, as it answered
        assert sum(in_units[:-1]) == in_units[-1], column.heading  # the rows add up to it


def test_a_service_that_answers_no_statistics_leaves_dashes_and_a_note() -> None:
    answers = answers_of("2026-11", 7, services=("intake", "matching", "complaints"))
    rows = read_back(monthly_report(answers))
    headings = rows[3]
    dibao_households = headings.index("户数（户）")
    received = REPORT_COLUMNS.index(next(c for c in REPORT_COLUMNS if c.keys == ("received",))) + 1
    body = rows[HEADER_ROWS : HEADER_ROWS + len(COUNTIES) + 2]
    assert {r[dibao_households] for r in body} == {MISSING}
    assert body[-1][received] == answers.answers["intake"].region.figures["received"]
    notes = [str(r[0]) for r in rows[HEADER_ROWS + len(COUNTIES) + 2 :] if r[0]]
    assert any("审核审批、资金发放模块暂未提供统计数据" in n for n in notes)


def test_a_programs_amount_is_disbursements_regular_arrears_and_one_off_payments() -> None:
    answers = answers_of("2026-11", 4)
    paid = answers.answers["disbursement"].children[0].figures
    column = next(c for c in REPORT_COLUMNS if c.label == "发放金额")
    assert column.keys == paid_keys(column_program := TREND_PROGRAMS[0])
    assert column_program == "dibao"
    assert answers.children()[0].value(column) == sum(paid[k] for k in paid_keys(column_program))


def test_the_page_shows_the_figures_as_the_services_answered_them() -> None:
    answers = answers_of("2026-11", 5)
    total = answers.total()
    assert (total.code, total.name) == (CITY, "山西省晋中市")
    assert [(c.code, c.name) for c in answers.children()] == [*COUNTIES.items(), (CITY, "晋中市本级")]
    received = next(c for c in PAGE_COLUMNS if c.service == "intake" and c.keys == ("received",))
    assert shown(total.value(received), "件") == f"{answers.answers['intake'].region.figures['received']:,}"
    assert shown(123456, "元") == "¥1,234.56"
    assert shown(None, "户") == "—"
    bars = bars_by_child(answers)
    assert bars.categories == [*COUNTIES.values(), "晋中市本级"]
    assert bars.title == "山西省晋中市各县（市、区）对比"
    households = bars.series[0]
    assert households.values == [c.figures["households"] for c in answers.answers["casework"].children]


def test_trends_run_24_months_oldest_first_with_amounts_in_yuan_on_their_own_axis() -> None:
    months = trend_months("2026-03")
    assert len(months) == 24
    assert (months[0], months[-1]) == ("2024-04", "2026-03")
    assert trend_months("2000-05") == ["2000-01", "2000-02", "2000-03", "2000-04", "2000-05"]
    history = [answers_of(m, i) for i, m in enumerate(months)]
    history[3] = answers_of(months[3], 99, services=("intake",))  # a month casework and disbursement did not answer
    charts = trend_charts(history)
    assert [c.key for c in charts] == [f"trend-{p}" for p in TREND_PROGRAMS]
    dibao = charts[0]
    assert dibao.categories[0] == "2024年4月"
    option = dibao.option()
    assert option["axes"] == ["户/人/件", "元"]
    households, _, paid = option["series"]
    assert households["axis"] == 0
    assert paid["axis"] == 1
    assert households["values"][3] is None  # a gap, not a zero
    assert households["values"][0] == history[0].answers["casework"].region.figures["households_dibao"]
    fen = sum(history[5].answers["disbursement"].region.figures[k] for k in paid_keys(TREND_PROGRAMS[0]))
    assert paid["values"][5] == fen / 100
    assert dibao.rows()[5][1][2] == fen  # the table beside the chart: the same figure


@pytest.mark.parametrize(
    ("code", "top", "parent"),
    [
        ("140702001", "140702", "140702"),
        ("140702", "1407", "1407"),
        ("140702", "140702", None),  # never above the person's own jurisdiction
        ("1407", "", "14"),
        ("14", "", None),
    ],
)
def test_the_way_up_stops_at_the_persons_jurisdiction(code: str, top: str, parent: str | None) -> None:
    assert parent_of(code, top) == parent


@pytest.mark.parametrize(
    ("on_time", "late", "shown_rate"), [(9, 1, "90.0%"), (0, 0, "—"), (None, 3, "—"), (2, 1, "66.7%")]
)
def test_timeliness_rate(on_time: int | None, late: int | None, shown_rate: str) -> None:
    assert rate(on_time, late) == shown_rate
