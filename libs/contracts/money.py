"""Money in renminbi (DOMAIN.md §12): integer fen inside, a two-decimal string such as "560.00" on every API.

Floats are refused everywhere: a benefit of 0.1 + 0.2 yuan must not become 0.30000000000000004.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated

from pydantic import AfterValidator

from libs.contracts.invalid import InvalidValue

# At most 15 integer digits: comfortably above any roster total, and still exact in a PostgreSQL bigint of
# fen.
_AMOUNT = re.compile(r"(-?)(0|[1-9][0-9]{0,14})\.([0-9]{2})")
_MAX_FEN = 10**17 - 1
_FEN = Decimal("0.01")


class InvalidMoney(InvalidValue):
    """A malformed or out-of-range amount."""


def _in_range(fen: int) -> int:
    if abs(fen) > _MAX_FEN:
        raise InvalidMoney("out_of_range", "the amount is too large")
    return fen


@dataclass(frozen=True, slots=True, order=True)
class Money:
    """An amount in fen (分). Negative amounts exist for deductions and recoveries (追回, DOMAIN.md §9)."""

    fen: int

    def __post_init__(self) -> None:
        # bool is an int subclass; Money(True) is always a bug.
        if not isinstance(self.fen, int) or isinstance(self.fen, bool):
            raise InvalidMoney("invalid_amount", "money is built from an integer number of fen")
        _in_range(self.fen)

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def from_fen(cls, fen: int) -> Money:
        return cls(fen)

    @classmethod
    def from_str(cls, text: str, *, allow_negative: bool = False) -> Money:
        """Parse the API form: digits, a point and exactly two decimals ("560.00"); a sign only if allowed."""
        if not isinstance(text, str):
            raise InvalidMoney("invalid_amount", 'an amount is a string with two decimals, such as "560.00"')
        match = _AMOUNT.fullmatch(text)
        if match is None:
            raise InvalidMoney("invalid_amount", 'an amount is a string with two decimals, such as "560.00"')
        sign, yuan, cents = match.groups()
        fen = int(yuan) * 100 + int(cents)
        if sign and fen != 0:
            if not allow_negative:
                raise InvalidMoney("negative_amount", "the amount must not be negative")
            fen = -fen
        return cls(fen)

    @classmethod
    def from_decimal(cls, amount: Decimal, rounding: str = ROUND_HALF_UP) -> Money:
        """Round a computed amount to the fen; half-up (四舍五入) is the usual rule for benefits."""
        if not isinstance(amount, Decimal) or not amount.is_finite():
            raise InvalidMoney("invalid_amount", "from_decimal needs a finite Decimal")
        try:
            fen = int((amount / _FEN).quantize(Decimal(1), rounding=rounding))
        except InvalidOperation:
            raise InvalidMoney("out_of_range", "the amount is too large") from None
        return cls(_in_range(fen))

    @classmethod
    def total(cls, amounts: Iterable[Money]) -> Money:
        """Sum of amounts (the builtin sum() would start from the int 0)."""
        return cls(_in_range(sum(amount.fen for amount in amounts)))

    def to_decimal(self) -> Decimal:
        return Decimal(self.fen) * _FEN

    def to_str(self) -> str:
        sign = "-" if self.fen < 0 else ""
        yuan, cents = divmod(abs(self.fen), 100)
        return f"{sign}{yuan}.{cents:02d}"

    def scaled(self, factor: Decimal, rounding: str = ROUND_HALF_UP) -> Money:
        """A fraction of this amount, e.g. 80 % in a declining gradual-exit schedule (DOMAIN.md §4)."""
        return Money.from_decimal(Decimal(self.fen) * factor * _FEN, rounding)

    def is_negative(self) -> bool:
        return self.fen < 0

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(_in_range(self.fen + other.fen))

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(_in_range(self.fen - other.fen))

    def __mul__(self, times: int) -> Money:
        # Only whole multiples (members × per-person amount, months × monthly amount); fractions go through
        # scaled().
        if not isinstance(times, int) or isinstance(times, bool):
            return NotImplemented
        return Money(_in_range(self.fen * times))

    def __rmul__(self, times: int) -> Money:
        return self.__mul__(times)

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __abs__(self) -> Money:
        return Money(abs(self.fen))

    def __bool__(self) -> bool:
        return self.fen != 0

    def __str__(self) -> str:
        return self.to_str()


def _validate_money_str(value: str) -> str:
    return Money.from_str(value).to_str()


def _validate_signed_money_str(value: str) -> str:
    return Money.from_str(value, allow_negative=True).to_str()


# For pydantic models: a non-negative amount such as "560.00", kept as the canonical string (a JSON number is
# refused).
MoneyStr = Annotated[str, AfterValidator(_validate_money_str)]
# For pydantic models: an amount that may be negative, such as a recovery deduction "-120.00".
SignedMoneyStr = Annotated[str, AfterValidator(_validate_signed_money_str)]
