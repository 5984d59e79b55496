"""The privacy scan of the end-to-end logs (DOMAIN.md §11): no identity number, phone or bank account in any line.

Two nets: every value a scenario sent in (`WholeSystem.personal_data`, exact and as the digits alone), and the shapes
themselves — an 18-character identity number whose check character is right (a random run of digits passes one time
in eleven, and a valid date is rarer still), and an 11-digit mobile number standing alone (not inside a hash or id).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from libs.contracts.id_number import check_character

_ID_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])([1-8][0-9]{5}(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])[0-9]{5}[0-9X])(?![0-9A-Za-z])"
)
_MOBILE_SHAPE = re.compile(r"(?<![0-9A-Za-z.:_-])(1[3-9][0-9]{9})(?![0-9A-Za-z])")


@dataclass(frozen=True)
class Leak:
    path: Path
    line_no: int
    what: str

    def __str__(self) -> str:
        return f"{self.path.name}:{self.line_no}: {self.what}"


def _valid_id(candidate: str) -> bool:
    return check_character(candidate[:17]) == candidate[17]


def scan(paths: Iterable[Path], known: Iterable[str]) -> list[Leak]:
    """Every line of `paths` holding a known personal value or something shaped like an identity or mobile number;
    the value itself is never repeated in the report (it would then leak into the test output)."""
    needles = {v for v in known if len(v) >= 6}
    leaks: list[Leak] = []
    for path in paths:
        for line_no, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if any(needle in line for needle in needles):
                leaks.append(Leak(path, line_no, "a value a scenario sent in"))
            elif any(_valid_id(m.group(1)) for m in _ID_SHAPE.finditer(line)):
                leaks.append(Leak(path, line_no, "an identity number"))
            elif _MOBILE_SHAPE.search(line):
                leaks.append(Leak(path, line_no, "a mobile number"))
    return leaks
