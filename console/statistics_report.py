"""The monthly report (社会救助统计月报表, .xlsx) of a city or province, shaped as a civil-affairs statistics table.

Rows are the regions one level below (by name, never by code), then 合计 (the region's own figures as the services
answer them: never summed here, so a reader can check the rows against it). Columns are the programs × households /
persons / amounts paid, then applications, reviews, hits and complaints, with their units in the header. Amounts are
yuan with two decimals (the services count fen). A figure a service did not answer is "—", and a note says which.
Written with XlsxWriter in memory, not through the streamed ledger writer (libs.kernel.xlsx): a report has merged
title and group headers, and one row per region below, never more than a few hundred.
"""

from __future__ import annotations

import io
from itertools import groupby

import xlsxwriter  # type: ignore[import-untyped]

from console.statistics_figures import REPORT_COLUMNS, Column, Line, MonthAnswers
from libs.contracts.period import Period

SERVICE_NAMES = {
    "intake": "申请受理",
    "casework": "审核审批",
    "matching": "比对核查",
    "complaints": "投诉举报",
    "disbursement": "资金发放",
}
MISSING = "—"
HEADER_ROWS = 4  # title, month and units, groups, figures


def chinese_month(month: str) -> str:
    period = Period.parse(month)
    return f"{period.year}年{period.month}月"


def report_title(region_name: str) -> str:
    return f"{region_name}社会救助统计月报表"


def report_filename(region_name: str, month: str) -> str:
    return f"{region_name}社会救助统计月报表-{month}.xlsx"


def monthly_report(answers: MonthAnswers, columns: list[Column] = REPORT_COLUMNS) -> bytes:
    """The report's workbook: one sheet, the title row naming the region and month, one row per child, 合计 last."""
    total = answers.total()
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("月报表")
    title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    plain = book.add_format({"font_size": 10})
    head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True,
                            "bg_color": "#F2F2F2"})  # fmt: skip
    name = book.add_format({"border": 1})
    count = book.add_format({"border": 1, "num_format": "#,##0"})
    money = book.add_format({"border": 1, "num_format": "#,##0.00"})
    blank = book.add_format({"border": 1, "align": "center"})
    bold_name = book.add_format({"border": 1, "bold": True})
    bold_count = book.add_format({"border": 1, "bold": True, "num_format": "#,##0"})
    bold_money = book.add_format({"border": 1, "bold": True, "num_format": "#,##0.00"})

    last_col = len(columns)
    sheet.merge_range(0, 0, 0, last_col, report_title(total.name), title)
    sheet.set_row(0, 30)
    sheet.merge_range(1, 0, 1, last_col // 2, f"统计月份：{chinese_month(answers.month)}", plain)
    sheet.merge_range(1, last_col // 2 + 1, 1, last_col, "金额单位：元（保留两位小数）", plain)
    sheet.merge_range(2, 0, 3, 0, "地区", head)
    at = 1
    for group, members in groupby(columns, key=lambda c: c.group):
        width = len(list(members))
        if width == 1:
            sheet.write(2, at, group, head)
        else:
            sheet.merge_range(2, at, 2, at + width - 1, group, head)
        at += width
    for i, column in enumerate(columns, start=1):
        sheet.write(3, i, column.heading, head)
    sheet.set_row(3, 32)

    def write_line(row: int, line: Line, label: str, *, bold: bool) -> None:
        sheet.write_string(row, 0, label, bold_name if bold else name)
        for i, column in enumerate(columns, start=1):
            value = line.value(column)
            if value is None:
                sheet.write_string(row, i, MISSING, blank)
            elif column.unit == "元":
                sheet.write_number(row, i, value / 100, bold_money if bold else money)
            else:
                sheet.write_number(row, i, value, bold_count if bold else count)

    row = HEADER_ROWS
    for child in answers.children():
        write_line(row, child, child.name, bold=False)
        row += 1
    write_line(row, total, "合计", bold=True)
    row += 2
    sources = "、".join(SERVICE_NAMES[s] for s in answers.answers)
    sheet.write_string(row, 0, f"数据来源：救助系统各业务模块的月度统计（{sources}）。", plain)
    if answers.missing:
        absent = "、".join(SERVICE_NAMES.get(s, s) for s in answers.missing)
        sheet.write_string(row + 1, 0, f"{absent}模块暂未提供统计数据，相应栏目以“{MISSING}”表示。", plain)
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, last_col, 11)
    sheet.freeze_panes(HEADER_ROWS, 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2, 3)
    book.close()
    return buffer.getvalue()
