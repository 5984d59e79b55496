"""How the calculation rounds and shows money: exact fractions of a fen, rounded half-up only where shown or paid."""

from __future__ import annotations

from fractions import Fraction

from libs.contracts.money import Money


def half_up(amount: Fraction | int) -> int:
    """Round to the fen, half away from zero (四舍五入), as Money.from_decimal does."""
    # floor(|n| / d + 1/2) in integers: exact, and a tenth of the cost of Fraction arithmetic (a county's standard
    # raise rounds some 40 values per household).
    n, d = amount.numerator, amount.denominator
    magnitude = (2 * abs(n) + d) // (2 * d)
    return magnitude if n >= 0 else -magnitude


def yuan(amount: Fraction | int) -> str:
    """1234567 fen → "12,345.67"; a value between two fen is marked approximate: "≈466.67"."""
    fen = amount if type(amount) is int else half_up(amount)
    whole, cents = divmod(Money(abs(fen)).fen, 100)  # Money refuses an amount out of range
    return f"{'≈' if amount.denominator != 1 else ''}{'-' if fen < 0 else ''}{whole:,}.{cents:02d}"


def sum_of(terms: list[str]) -> str:
    """Shown terms added up: "0.00" for none, the term alone, or "(a + b)"."""
    return "0.00" if not terms else terms[0] if len(terms) == 1 else f"({' + '.join(terms)})"
