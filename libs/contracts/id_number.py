"""PRC resident identity numbers (公民身份号码, GB 11643-1999) and the masking rules of DOMAIN.md §11.

Layout of the 18 characters: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence code whose
last digit gives the sex (odd = male), and a check character computed by ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import mul
from typing import Annotated

from pydantic import AfterValidator

from libs.contracts.ages import age_on
from libs.contracts.clock import china_today
from libs.contracts.invalid import InvalidValue

# ISO 7064 MOD 11-2 as tabulated in GB 11643-1999 §8.2: weight i is 2^(17-i) mod 11, remainder r maps to
# _CHECK_MAP[r].
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_MAP = "10X98765432"
_ZERO_WEIGHTED = ord("0") * sum(_WEIGHTS)

_DIGITS_17 = re.compile(r"[0-9]{17}")
_FORM_18 = re.compile(r"[0-9]{17}[0-9X]")
_FORM_15 = re.compile(r"[0-9]{15}")
_WHITESPACE = re.compile(r"\s+")

# Nobody alive and registered was born earlier; an earlier date is a keying error, not a person.
_EARLIEST_BIRTH = date(1900, 1, 1)


class InvalidIdNumber(InvalidValue):
    """An identity number that fails GB 11643."""


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


def check_character(first17: str) -> str:
    """The GB 11643 check character (0-9 or X) for the first 17 digits."""
    if not _DIGITS_17.fullmatch(first17):
        raise InvalidIdNumber("invalid_characters", "the first 17 characters of an identity number must be digits")
    # Seventeen ASCII digits (checked just above): their code points times the weights, less '0' (48) times the
    # weights, all in C; every event naming a person validates its numbers (100,000 households in a standard raise).
    total = sum(map(mul, first17.encode(), _WEIGHTS)) - _ZERO_WEIGHTED
    return _CHECK_MAP[total % 11]


def _normalise(raw: str) -> str:
    # Numbers arrive copied from forms and spreadsheets: stray spaces and a lowercase x are common and
    # harmless.
    return _WHITESPACE.sub("", raw).upper()


def _birth_date(digits: str, today: date) -> date:
    try:
        born = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise InvalidIdNumber(
            "invalid_birth_date", "the birth date in the identity number is not a real date"
        ) from None
    if born < _EARLIEST_BIRTH:
        raise InvalidIdNumber("invalid_birth_date", "the birth date in the identity number is before 1900")
    if born > today:
        raise InvalidIdNumber("invalid_birth_date", "the birth date in the identity number is in the future")
    return born


def _upgrade_15(legacy: str) -> str:
    # First-generation cards (GB 11643-1989) carry a 2-digit year and no check character; everyone holding one
    # was born in the 1900s, so the standard conversion inserts "19" and appends the computed check.
    first17 = legacy[:6] + "19" + legacy[6:]
    return first17 + check_character(first17)


@dataclass(frozen=True, slots=True, repr=False)
class IdNumber:
    """A valid 18-character identity number; build it with `IdNumber.parse` (the constructor is strict)."""

    value: str

    def __post_init__(self) -> None:
        if not isinstance(self.value, str) or len(self.value) != 18:
            raise InvalidIdNumber("invalid_length", "an identity number has 18 characters (or 15 for old cards)")
        if not _FORM_18.fullmatch(self.value):
            raise InvalidIdNumber("invalid_characters", "an identity number is 17 digits followed by a digit or X")
        if check_character(self.value[:17]) != self.value[17]:
            raise InvalidIdNumber("invalid_check_character", "the identity number's check character is wrong")
        _birth_date(self.value[6:14], china_today())

    @classmethod
    def parse(cls, raw: str) -> IdNumber:
        """Normalise and validate user input; 15-digit legacy numbers are converted to 18 characters."""
        if not isinstance(raw, str):
            raise InvalidIdNumber("invalid_characters", "an identity number must be given as a string")
        text = _normalise(raw)
        if len(text) == 15:
            if not _FORM_15.fullmatch(text):
                raise InvalidIdNumber("invalid_characters", "a 15-character identity number is all digits")
            text = _upgrade_15(text)
        return cls(text)

    @property
    def region_prefix(self) -> str:
        """The address code at registration; a retired division code is still valid (DOMAIN.md §11)."""
        return self.value[:6]

    @property
    def birth_date(self) -> date:
        return date(int(self.value[6:10]), int(self.value[10:12]), int(self.value[12:14]))

    @property
    def sex(self) -> Sex:
        # GB 11643-1999 §6.3: the sequence code is odd for men and even for women.
        return Sex.MALE if int(self.value[16]) % 2 == 1 else Sex.FEMALE

    def age_on(self, day: date) -> int:
        """Completed years (周岁) on `day`: the age goes up on the birthday (for 29 Feb, on 1 Mar)."""
        born = self.birth_date
        if day < born:
            raise ValueError("age_on: the day is before the birth date")
        return age_on(born, day)

    def masked(self) -> str:
        """List display form, e.g. 110105********002X (DOMAIN.md §11)."""
        return masked_form(self.value)

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        # repr() ends up in logs, tracebacks and debug output; PIPL says the full number must never be written
        # there.
        return f"IdNumber({self.masked()!r})"


def mask_name(name: str) -> str:
    """Mask a personal name for lists and public postings: 张* / 张*三 / 欧**娜 (DOMAIN.md §3.7, §11)."""
    text = name.strip()
    if len(text) <= 1:
        return "*" * len(text)
    if len(text) == 2:
        return text[0] + "*"
    return text[0] + "*" * (len(text) - 2) + text[-1]


def masked_form(held: str) -> str:
    """The list display form of a number Jiuzhu already holds as valid (stored or sealed after `IdNumber.parse`),
    without parsing and checking it again: views mask every member and finding they show (issue 23). A string of
    another length (a corrupt row) is shown as stars only."""
    return held[:6] + "*" * 8 + held[14:] if len(held) == 18 else "*" * 18


def _validate_id_number_str(value: str) -> str:
    return IdNumber.parse(value).value


# For pydantic models: accepts any valid form (15 digits, lowercase x, spaces) and stores the canonical 18
# characters. InvalidIdNumber is a ValueError, so pydantic reports it as an ordinary validation error (a 422
# at the API).
IdNumberStr = Annotated[str, AfterValidator(_validate_id_number_str)]
