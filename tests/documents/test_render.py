"""The renderer on its own: Chinese text that reads back, A4, the number and date, the same bytes every time."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from libs.documents.fonts import cjk_font
from libs.documents.layout import Document, Section, Table
from libs.documents.render import render
from libs.documents.wording import chinese_date, county_short_name, document_number, month_text, yuan
from tests.documents.pdf_text import page_count, page_size_mm, pdf_text, save_png


def _document(**changes: Any) -> Document:
    base = Document(
        title="最低生活保障审批决定书",
        number=document_number("平遥县", "民救", 2026, 123),
        issued_on=dt.date(2026, 12, 7),
        issuer="平遥县民政局",
        addressee="张三",
        sections=(
            Section("你（户）居住在平遥县古陶镇东关村，经审核，符合最低生活保障条件。"),
            Section(
                "核算过程如下：",
                Table(("项目", "计算方法", "金额"), (("保障标准", "700.00 × 3人", "2,100.00元"),), (3, 5, 2)),
            ),
        ),
        notes=("如有疑问，可拨打“12345”政务服务便民热线。",),
    )
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 12, 7), "二〇二六年十二月七日"),
        (dt.date(2027, 1, 10), "二〇二七年一月十日"),
        (dt.date(2026, 10, 31), "二〇二六年十月三十一日"),
        (dt.date(2030, 2, 20), "二〇三〇年二月二十日"),
    ],
)
def test_dates_are_written_in_chinese_numerals(day: dt.date, text: str) -> None:
    assert chinese_date(day) == text


@pytest.mark.parametrize(
    ("county", "short"),
    [("平遥县", "平遥"), ("介休市", "介休"), ("城区", "城区"), ("杏花岭区", "杏花岭"), ("沁源县", "沁源")],
)
def test_numbers_begin_with_the_county_short_name(county: str, short: str) -> None:
    assert document_number(county, "民救", 2026, 7) == f"{short}民救〔2026〕第000007号"
    assert county_short_name(county) == short


def test_amounts_and_months() -> None:
    assert (yuan(0), yuan(70000), yuan(123456789), yuan(-5)) == ("0.00元", "700.00元", "1,234,567.89元", "-0.05元")
    assert month_text("2026-03") == "2026年3月"


def test_a_document_reads_back_in_chinese_on_a4(tmp_path: Path) -> None:
    pdf = render(_document())
    text = pdf_text(pdf)
    for words in (
        "最低生活保障审批决定书",
        "平遥民救〔2026〕第000123号",
        "张三",
        "平遥县古陶镇东关村",
        "2,100.00元",
        "平遥县民政局",
        "二〇二六年十二月七日",
        "盖章处",
        "经办人（签字）",
        "第1页 共1页",
    ):
        assert words in text, words
    assert page_size_mm(pdf) == (210, 297)
    # The font travels inside the file as a subset: a few hundred kilobytes at most, not the 20 MB collection.
    assert b"/FontFile2" in pdf or b"/FontFile3" in pdf
    assert len(pdf) < 300_000
    assert save_png(pdf, tmp_path / "decision.png").stat().st_size > 10_000


def test_the_same_document_gives_the_same_bytes_and_another_date_other_bytes() -> None:
    first, again = render(_document()), render(_document())
    assert first == again
    assert render(_document(issued_on=dt.date(2026, 12, 8))) != first


def test_a_long_table_runs_onto_more_pages_numbered() -> None:
    rows = tuple((f"第{i}项", "1.00 × 1", "1.00元") for i in range(120))
    pdf = render(_document(sections=(Section("明细：", Table(("项目", "计算方法", "金额"), rows)),)))
    pages = page_count(pdf)
    assert pages >= 3
    assert f"第{pages}页 共{pages}页" in pdf_text(pdf)


def test_the_font_is_the_simplified_chinese_face() -> None:
    font = cjk_font()
    assert font.path.is_file()
    assert font.path.suffix in {".ttc", ".otf", ".ttf"}
