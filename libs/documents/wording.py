"""The Chinese of dates, amounts and document numbers as official documents print them."""

from __future__ import annotations

import datetime as dt

_DIGITS = "〇一二三四五六七八九"


def _small_number(n: int) -> str:
    """1–31 in Chinese numerals (十二, 二十七), as months and days are written."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "") if n else _DIGITS[0]


def chinese_date(day: dt.date) -> str:
    """二〇二六年十二月七日: the date of a document under its issuing body."""
    year = "".join(_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{_small_number(day.month)}月{_small_number(day.day)}日"


def month_text(period: str) -> str:
    """ "2026-12" → "2026年12月"."""
    year, month = period.split("-")
    return f"{int(year)}年{int(month)}月"


def yuan(fen: int) -> str:
    """Integer fen as yuan with two decimals and thousands separators: 123456 → "1,234.56元"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}元"


def county_short_name(name: str) -> str:
    """ "平遥县" → "平遥": the county's name as a document number begins (a two-character name keeps its suffix)."""
    for suffix in ("自治县", "县", "市", "区", "旗"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def document_number(county_name: str, word: str, year: int, sequence: int) -> str:
    """平遥民救〔2026〕第000123号: the county, the service's word, the year and the year's sequence number."""
    return f"{county_short_name(county_name)}{word}〔{year}〕第{sequence:06d}号"
