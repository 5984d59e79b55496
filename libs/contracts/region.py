"""Region codes and jurisdictions (DOMAIN.md §1).

A place is the 12-digit statistical code of its village or community: 6 digits of county (GB/T 2260), 3 of
township, 3 of village. Shorter codes are prefixes naming a larger area: 2 digits a province, 4 a city, 6 a
county, 9 a township. A user's jurisdiction is such a prefix, and "" means the whole country (system
administrators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator

from libs.contracts.invalid import InvalidValue


class InvalidRegionCode(InvalidValue):
    """A malformed region code or prefix."""


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


_LEVEL_BY_LENGTH = {
    2: RegionLevel.PROVINCE,
    4: RegionLevel.CITY,
    6: RegionLevel.COUNTY,
    9: RegionLevel.TOWNSHIP,
    12: RegionLevel.VILLAGE,
}
_LENGTHS = tuple(sorted(_LEVEL_BY_LENGTH))
# Records (households, work orders) are always placed at least at county level: CONTRACTS.md §2 "6 to 12
# digits".
_RECORD_LENGTHS = (6, 9, 12)
_DIGITS = re.compile(r"[0-9]+")

# Spellings of "no restriction" accepted for a jurisdiction prefix.
_ALL_SPELLINGS = frozenset({"", "*"})


def _check(text: str, lengths: tuple[int, ...]) -> str:
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        raise InvalidRegionCode("invalid_characters", "a region code consists of digits only")
    if len(text) not in lengths:
        allowed = ", ".join(str(n) for n in lengths)
        raise InvalidRegionCode("invalid_length", f"a region code has {allowed} digits")
    return text


@dataclass(frozen=True, slots=True, order=True)
class RegionCode:
    """A region code of 2, 4, 6, 9 or 12 digits; a shorter code is a prefix of the codes it contains."""

    value: str

    def __post_init__(self) -> None:
        _check(self.value, _LENGTHS)

    @classmethod
    def parse(cls, text: str) -> RegionCode:
        """Any level, as used for jurisdictions and report filters."""
        return cls(_check(text.strip() if isinstance(text, str) else text, _LENGTHS))

    @classmethod
    def parse_record(cls, text: str) -> RegionCode:
        """A record's own place: county, township or village (6, 9 or 12 digits)."""
        return cls(_check(text.strip() if isinstance(text, str) else text, _RECORD_LENGTHS))

    @property
    def level(self) -> RegionLevel:
        return _LEVEL_BY_LENGTH[len(self.value)]

    def contains(self, other: RegionCode) -> bool:
        """Whether `other` lies inside this area; every code contains itself."""
        return other.value.startswith(self.value)

    def parent(self) -> RegionCode | None:
        """The next larger area, or None for a province."""
        index = _LENGTHS.index(len(self.value))
        return RegionCode(self.value[: _LENGTHS[index - 1]]) if index > 0 else None

    def _prefix(self, length: int) -> RegionCode | None:
        return RegionCode(self.value[:length]) if len(self.value) >= length else None

    @property
    def province(self) -> RegionCode:
        return RegionCode(self.value[:2])

    @property
    def city(self) -> RegionCode | None:
        return self._prefix(4)

    @property
    def county(self) -> RegionCode | None:
        return self._prefix(6)

    @property
    def township(self) -> RegionCode | None:
        return self._prefix(9)

    def __str__(self) -> str:
        return self.value


def normalise_prefix(prefix: str) -> str:
    """Validate a jurisdiction prefix; "" and "*" both mean everywhere and come back as ""."""
    text = prefix.strip()
    if text in _ALL_SPELLINGS:
        return ""
    return _check(text, _LENGTHS)


def jurisdiction_contains(prefix: str, code: str) -> bool:
    """Whether a user with jurisdiction `prefix` may see the record placed at `code` (both validated)."""
    scope = normalise_prefix(prefix)
    place = _check(code.strip(), _LENGTHS)
    return place.startswith(scope)


def _validate_record_code(value: str) -> str:
    return RegionCode.parse_record(value).value


# For pydantic models: a record's region, 6, 9 or 12 digits.
RegionCodeStr = Annotated[str, AfterValidator(_validate_record_code)]
# For pydantic models: a jurisdiction prefix, 0, 2, 4, 6, 9 or 12 digits ("*" is accepted and stored as "").
RegionPrefixStr = Annotated[str, AfterValidator(normalise_prefix)]
