from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from pydantic import BaseModel, ValidationError

from libs.contracts.money import InvalidMoney, Money, MoneyStr, SignedMoneyStr


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("560.00", 56000),
        ("0.00", 0),
        ("0.01", 1),
        ("12.30", 1230),
        ("123456789012345.99", 12345678901234599),
    ],
)
def test_from_str(text: str, fen: int) -> None:
    money = Money.from_str(text)
    assert money.fen == fen
    assert money.to_str() == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("560", "invalid_amount"),
        ("560.0", "invalid_amount"),
        ("560.000", "invalid_amount"),
        ("560.001", "invalid_amount"),
        (".50", "invalid_amount"),
        ("0560.00", "invalid_amount"),
        ("+5.00", "invalid_amount"),
        (" 5.00", "invalid_amount"),
        ("5,00", "invalid_amount"),
        ("1e3", "invalid_amount"),
        ("NaN", "invalid_amount"),
        ("abc", "invalid_amount"),
        ("", "invalid_amount"),
        ("1234567890123456.00", "invalid_amount"),
        ("-12.30", "negative_amount"),
    ],
)
def test_from_str_invalid(text: str, code: str) -> None:
    with pytest.raises(InvalidMoney) as caught:
        Money.from_str(text)
    assert caught.value.code == code


@pytest.mark.parametrize("value", [560.0, 560, None, Decimal("560.00")])
def test_from_str_refuses_non_strings(value: object) -> None:
    with pytest.raises(InvalidMoney):
        Money.from_str(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "fen"), [("-12.30", -1230), ("-0.00", 0), ("7.05", 705)])
def test_from_str_negative_when_allowed(text: str, fen: int) -> None:
    assert Money.from_str(text, allow_negative=True).fen == fen


@pytest.mark.parametrize(("fen", "text"), [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (-1230, "-12.30"), (100, "1.00")])
def test_to_str(fen: int, text: str) -> None:
    assert Money.from_fen(fen).to_str() == text
    assert str(Money.from_fen(fen)) == text


@pytest.mark.parametrize("fen", [1.5, True, "100", 10**17])
def test_from_fen_refuses(fen: object) -> None:
    with pytest.raises(InvalidMoney):
        Money.from_fen(fen)  # type: ignore[arg-type]


def test_arithmetic_and_ordering() -> None:
    a, b = Money.from_str("560.00"), Money.from_str("12.30")
    assert a + b == Money(57230)
    assert b - a == Money(-54770)
    assert a * 3 == Money(168000) == 3 * a
    assert -b == Money(-1230)
    assert abs(Money(-5)) == Money(5)
    assert b < a
    assert max(a, b) is a
    assert not Money.zero()
    assert Money.total([a, b, b]) == Money(58460)
    assert Money.total([]) == Money.zero()


@pytest.mark.parametrize("factor", [1.5, True, Decimal(2)])
def test_multiplication_is_by_whole_numbers_only(factor: object) -> None:
    with pytest.raises(TypeError):
        Money(100) * factor  # type: ignore[operator]


def test_adding_a_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Money(100) + 1  # type: ignore[operator]


@pytest.mark.parametrize(
    ("amount", "rounding", "fen"),
    [
        (Decimal("1.005"), None, 101),
        (Decimal("1.004"), None, 100),
        (Decimal("-1.005"), None, -101),
        (Decimal("1.005"), ROUND_HALF_EVEN, 100),
        (Decimal("1.015"), ROUND_HALF_EVEN, 102),
        (Decimal("560"), None, 56000),
    ],
)
def test_from_decimal(amount: Decimal, rounding: str | None, fen: int) -> None:
    money = Money.from_decimal(amount) if rounding is None else Money.from_decimal(amount, rounding)
    assert money.fen == fen


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("1e30"), 1.5])
def test_from_decimal_refuses(amount: object) -> None:
    with pytest.raises(InvalidMoney):
        Money.from_decimal(amount)  # type: ignore[arg-type]


def test_scaled_for_gradual_exit() -> None:
    assert Money.from_str("560.00").scaled(Decimal("0.8")) == Money.from_str("448.00")
    assert Money.from_str("0.05").scaled(Decimal("0.5")) == Money(3)
    assert Money.from_str("123.45").to_decimal() == Decimal("123.45")


class _Line(BaseModel):
    amount: MoneyStr
    adjustment: SignedMoneyStr = "0.00"


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ({"amount": "560.00"}, True),
        ({"amount": "560.00", "adjustment": "-120.00"}, True),
        ({"amount": "-560.00"}, False),
        ({"amount": 560.0}, False),
        ({"amount": 560}, False),
        ({"amount": "560"}, False),
        ({"amount": "560.001"}, False),
    ],
)
def test_pydantic_money_str(data: dict[str, object], ok: bool) -> None:
    if ok:
        line = _Line.model_validate(data)
        assert line.model_dump(mode="json") == {"adjustment": "0.00", **data}
    else:
        with pytest.raises(ValidationError):
            _Line.model_validate(data)
