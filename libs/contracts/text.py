"""Text from outside, made safe to store, show and export (CONTRACTS.md common rules and §3; OWASP CSV injection).

- Control characters and the invisible ones that reorder or hide text (bidirectional overrides and isolates,
  zero-width spaces and joiners, the byte-order mark) are removed from every text field: a name written with a
  right-to-left override reads differently on every screen that shows it, and a zero-width space makes two equal
  names unequal for matching and repeat detection.
- A person's name must look like one: letters (any script), with the separators real names use (the middle dot of
  minority names, a space, a hyphen, an apostrophe, a full stop). `=HYPERLINK(...)`, `+cmd|...` or `@SUM(1+1)` cannot
  be a name and are refused at entry.
- A spreadsheet cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is exported with a leading `'`
  (`neutralise_cell`), so no spreadsheet evaluates it, whatever got into the data.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, ValidationInfo

from libs.contracts.stored import read_back

# C0 and C1 controls but tab and line feed; DEL; Arabic letter mark; Mongolian vowel separator; zero-width space,
# non-joiner, joiner; left-to-right and right-to-left marks; embeddings and overrides; word joiner and invisible
# operators; isolates; byte-order mark / zero-width no-break space.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]+")
_NAME_SEPARATORS = frozenset(" ·•・.'’-")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAME_MAX_LENGTH = 64


def clean_text(value: str) -> str:
    """Multi-line text (a complaint's content, a note): invisible characters removed, line ends as `\\n`, trimmed."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", value).strip()


def clean_line(value: str) -> str:
    """One line (a title, an address, a reason): invisible characters removed, breaks and tabs as one space."""
    return _LINE_BREAKS.sub(" ", _INVISIBLE.sub("", value)).strip()


def person_name(value: str) -> str:
    """A person's name, cleaned and checked; ValueError when it cannot be one."""
    name = unicodedata.normalize("NFC", clean_line(value))
    if not name:
        raise ValueError("a name is required")
    if len(name) > NAME_MAX_LENGTH:
        raise ValueError(f"a name has at most {NAME_MAX_LENGTH} characters")
    if not unicodedata.category(name[0]).startswith("L"):
        raise ValueError("a name begins with a letter")
    for char in name:
        if char not in _NAME_SEPARATORS and unicodedata.category(char)[0] not in "LM":
            raise ValueError("a name holds only letters and the separators names use (· - ' .)")
    return name


def neutralise_cell(value: str) -> str:
    """A spreadsheet cell that cannot be evaluated as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _person_name(value: str, info: ValidationInfo) -> str:
    # A name stored before these rules existed is shown as it is (cleaned), never refused on its way out.
    return clean_line(value) if read_back(info) else person_name(value)


CleanText = Annotated[str, AfterValidator(clean_text)]
CleanLine = Annotated[str, AfterValidator(clean_line)]
PersonName = Annotated[str, AfterValidator(_person_name)]
