from __future__ import annotations

from datetime import date

import pytest
from pydantic import BaseModel, ValidationError

from libs.contracts.clock import china_today
from libs.contracts.id_number import (
    IdNumber,
    IdNumberStr,
    InvalidIdNumber,
    Sex,
    check_character,
    mask_name,
    masked_form,
)
from tests.support.id_numbers import make_id

KNOWN = "11010519491231002X"


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        ("11010519491231002", "X"),
        ("14040219800101123", check_character("14040219800101123")),
        ("44030420000229001", check_character("44030420000229001")),
    ],
)
def test_check_character(first17: str, expected: str) -> None:
    assert check_character(first17) == expected


def test_check_character_refuses_non_digits() -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        check_character("1101051949123100X")
    assert caught.value.code == "invalid_characters"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (KNOWN, KNOWN),
        ("11010519491231002x", KNOWN),
        ("  110105 19491231 002x\n", KNOWN),
        ("110105491231002", KNOWN),
        (make_id(date(1980, 1, 1)), make_id(date(1980, 1, 1))),
        (make_id(date(2000, 2, 29), seq="001"), make_id(date(2000, 2, 29), seq="001")),
        # A retired division code (Chongwen district, merged in 2010) is still a valid number.
        (make_id(date(1975, 6, 15), region="110103"), make_id(date(1975, 6, 15), region="110103")),
    ],
)
def test_parse_valid(raw: str, expected: str) -> None:
    parsed = IdNumber.parse(raw)
    assert parsed.value == expected
    assert str(parsed) == expected


def test_fifteen_digit_conversion_equals_eighteen() -> None:
    assert IdNumber.parse("110105491231002") == IdNumber.parse(KNOWN)


_TOMORROW_NEXT_YEAR = date(china_today().year + 1, 1, 1)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "invalid_length"),
        ("1101051949123100", "invalid_length"),
        ("11010519491231002X1", "invalid_length"),
        ("110105194912310029", "invalid_check_character"),
        ("11010519491231002A", "invalid_characters"),
        ("1101O519491231002X", "invalid_characters"),
        ("11010549123100X", "invalid_characters"),
        ("X10105194912310021", "invalid_characters"),
        (make_id(date(1980, 1, 1))[:17] + "?", "invalid_characters"),
        ("140402" + "19800230" + "123" + check_character("14040219800230123"), "invalid_birth_date"),
        ("140402" + "19801301" + "123" + check_character("14040219801301123"), "invalid_birth_date"),
        ("140402" + "18991231" + "123" + check_character("14040218991231123"), "invalid_birth_date"),
        (make_id(_TOMORROW_NEXT_YEAR), "invalid_birth_date"),
    ],
)
def test_parse_invalid(raw: str, code: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        IdNumber.parse(raw)
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert caught.value.message


def test_constructor_is_strict_about_canonical_form() -> None:
    with pytest.raises(InvalidIdNumber):
        IdNumber("11010519491231002x")


def test_parse_refuses_non_strings() -> None:
    with pytest.raises(InvalidIdNumber):
        IdNumber.parse(11010519491231002)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        (KNOWN, Sex.FEMALE),
        (make_id(date(1980, 1, 1), seq="121"), Sex.MALE),
        (make_id(date(1980, 1, 1), seq="128"), Sex.FEMALE),
        (make_id(date(1980, 1, 1), seq="009"), Sex.MALE),
    ],
)
def test_sex(raw: str, sex: Sex) -> None:
    assert IdNumber.parse(raw).sex is sex


def test_parts() -> None:
    number = IdNumber.parse(KNOWN)
    assert number.birth_date == date(1949, 12, 31)
    assert number.region_prefix == "110105"


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1949, 12, 31), date(2019, 12, 30), 69),
        (date(1949, 12, 31), date(2019, 12, 31), 70),
        (date(1949, 12, 31), date(2020, 1, 1), 70),
        (date(2000, 2, 29), date(2001, 2, 28), 0),
        (date(2000, 2, 29), date(2001, 3, 1), 1),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(1980, 6, 15), date(1980, 6, 15), 0),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert IdNumber.parse(make_id(born)).age_on(on) == age


def test_age_before_birth_is_an_error() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        IdNumber.parse(KNOWN).age_on(date(1949, 12, 30))


def test_masked_and_repr_do_not_leak() -> None:
    number = IdNumber.parse(KNOWN)
    assert number.masked() == "110105********002X"
    for text in (repr(number), repr([number]), f"{number!r}", repr({"id": number})):
        assert KNOWN not in text
        assert "110105********002X" in text


def test_a_held_number_is_masked_as_a_parsed_one_and_nothing_shows_more() -> None:
    """Views mask numbers Jiuzhu holds as valid without parsing them again: the same form, and a string that is not
    a number of 18 characters (a corrupt row) shows nothing of itself."""
    assert masked_form(KNOWN) == IdNumber.parse(KNOWN).masked() == "110105********002X"
    born_1990 = make_id(date(1990, 5, 17))
    assert masked_form(born_1990) == IdNumber.parse(born_1990).masked() == "140402********" + born_1990[14:]
    for corrupt in ("", "1234567890", "123456789012345678901"):
        assert masked_form(corrupt) == "*" * 18


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳娜娜", "欧**娜"),
        ("阿卜杜·热合曼", "阿*****曼"),
        (" 张三 ", "张*"),
        ("李", "*"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


class _Person(BaseModel):
    id_number: IdNumberStr


def test_pydantic_field_normalises() -> None:
    assert _Person.model_validate({"id_number": "110105491231002"}).id_number == KNOWN
    assert _Person.model_validate({"id_number": "11010519491231002x"}).id_number == KNOWN


@pytest.mark.parametrize("raw", ["110105194912310029", "abc", 11010519491231002])
def test_pydantic_field_rejects(raw: object) -> None:
    with pytest.raises(ValidationError) as caught:
        _Person.model_validate({"id_number": raw})
    error = caught.value.errors()[0]
    assert error["loc"] == ("id_number",)
    assert error["msg"]
