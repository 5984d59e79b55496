from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from libs.contracts.region import (
    InvalidRegionCode,
    RegionCode,
    RegionCodeStr,
    RegionLevel,
    RegionPrefixStr,
    jurisdiction_contains,
    normalise_prefix,
)

VILLAGE = "140402101203"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("14", RegionLevel.PROVINCE),
        ("1404", RegionLevel.CITY),
        ("140402", RegionLevel.COUNTY),
        ("140402101", RegionLevel.TOWNSHIP),
        (VILLAGE, RegionLevel.VILLAGE),
        (" 140402 ", RegionLevel.COUNTY),
    ],
)
def test_parse_levels(text: str, level: RegionLevel) -> None:
    code = RegionCode.parse(text)
    assert code.level is level
    assert str(code) == text.strip()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "invalid_characters"),
        ("1", "invalid_length"),
        ("140", "invalid_length"),
        ("14040", "invalid_length"),
        ("1404021", "invalid_length"),
        ("1404021012", "invalid_length"),
        ("1404021012034", "invalid_length"),
        ("14040a", "invalid_characters"),
        ("14-04", "invalid_characters"),
        ("１４", "invalid_characters"),
    ],
)
def test_parse_invalid(text: str, code: str) -> None:
    with pytest.raises(InvalidRegionCode) as caught:
        RegionCode.parse(text)
    assert caught.value.code == code


@pytest.mark.parametrize(("text", "ok"), [("14", False), ("1404", False), ("140402", True), ("140402101", True)])
def test_parse_record_needs_county_or_below(text: str, ok: bool) -> None:
    if ok:
        assert RegionCode.parse_record(text).value == text
    else:
        with pytest.raises(InvalidRegionCode):
            RegionCode.parse_record(text)


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("14", VILLAGE, True),
        ("1404", VILLAGE, True),
        ("140402", VILLAGE, True),
        ("140402101", VILLAGE, True),
        (VILLAGE, VILLAGE, True),
        ("140402102", VILLAGE, False),
        ("1401", VILLAGE, False),
        (VILLAGE, "140402101", False),
    ],
)
def test_contains(outer: str, inner: str, expected: bool) -> None:
    assert RegionCode.parse(outer).contains(RegionCode.parse(inner)) is expected


def test_parent_chain_and_prefixes() -> None:
    code = RegionCode.parse(VILLAGE)
    chain = []
    current: RegionCode | None = code
    while current is not None:
        chain.append(current.value)
        current = current.parent()
    assert chain == [VILLAGE, "140402101", "140402", "1404", "14"]
    assert code.county == RegionCode("140402")
    assert code.township == RegionCode("140402101")
    assert code.city == RegionCode("1404")
    assert code.province == RegionCode("14")
    assert RegionCode("1404").county is None
    assert RegionCode("140402").township is None


@pytest.mark.parametrize(
    ("prefix", "code", "expected"),
    [
        ("", VILLAGE, True),
        ("*", VILLAGE, True),
        ("14", VILLAGE, True),
        ("140402", "140402", True),
        ("140402101", VILLAGE, True),
        ("140402102", VILLAGE, False),
        ("15", VILLAGE, False),
        ("140402101", "140402", False),
    ],
)
def test_jurisdiction_contains(prefix: str, code: str, expected: bool) -> None:
    assert jurisdiction_contains(prefix, code) is expected


@pytest.mark.parametrize(("prefix", "code"), [("140", VILLAGE), ("14", "1404021"), ("**", VILLAGE)])
def test_jurisdiction_contains_validates(prefix: str, code: str) -> None:
    with pytest.raises(InvalidRegionCode):
        jurisdiction_contains(prefix, code)


def test_normalise_prefix() -> None:
    assert normalise_prefix("*") == ""
    assert normalise_prefix(" 1404 ") == "1404"


class _Record(BaseModel):
    region_code: RegionCodeStr
    jurisdiction: RegionPrefixStr = ""


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        ({"region_code": VILLAGE, "jurisdiction": "14"}, True),
        ({"region_code": "140402", "jurisdiction": ""}, True),
        ({"region_code": "140402", "jurisdiction": "*"}, True),
        ({"region_code": "1404"}, False),
        ({"region_code": 140402}, False),
        ({"region_code": "140402", "jurisdiction": "140"}, False),
    ],
)
def test_pydantic_types(data: dict[str, object], ok: bool) -> None:
    if ok:
        record = _Record.model_validate(data)
        assert record.jurisdiction in ("", "14")
    else:
        with pytest.raises(ValidationError):
            _Record.model_validate(data)
