"""How the calculation rounds and shows money: exact fractions of a fen, rounded half-up only where shown or paid."""

from __future__ import annotations

import math
from fractions import Fraction

from libs.contracts.money import Money


def half_up(amount: Fraction) -> int:
    """Round to the fen, half away from zero (四舍五入), as Money.from_decimal does."""
    magnitude = math.floor(abs(amount) + Fraction(1, 2))
    return magnitude if amount >= 0 else -magnitude


def yuan(amount: Fraction | int) -> str:
    """1234567 fen → "12,345.67"; a value between two fen is marked approximate: "≈466.67"."""
    exact = Fraction(amount)
    fen = half_up(exact)
    whole, cents = Money(abs(fen)).to_str().split(".")
    return f"{'≈' if exact.denominator != 1 else ''}{'-' if fen < 0 else ''}{int(whole):,}.{cents}"


def sum_of(terms: list[str]) -> str:
    """Shown terms added up: "0.00" for none, the term alone, or "(a + b)"."""
    return "0.00" if not terms else terms[0] if len(terms) == 1 else f"({' + '.join(terms)})"
