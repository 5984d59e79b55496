"""Valid test identity numbers, built with the check function so no real person's number is used."""

from __future__ import annotations

from datetime import date

from libs.contracts.id_number import check_character


def make_id(born: date, *, region: str = "140402", seq: str = "123") -> str:
    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + check_character(first17)
