"""Amounts entering disbursement, held to what a program could pay (libs.contracts.programs): beyond it a figure is
a typo or a hostile one, and a county's roster totals would overflow (issue 17). At the API it is a 422
`amount_above_ceiling` naming the field, before anything is stored; in the ledger (a row written before these checks)
it is a hold the county sees, never a failed roster (`ledger.amount_holds`)."""

from __future__ import annotations

from collections.abc import Sequence

from libs.contracts.money import Money
from libs.contracts.programs import (
    MONTHLY_CEILING_FEN,
    PER_PERSON_CEILING_FEN,
    AmountAboveCeiling,
    Program,
    check_monthly_amount,
)
from services.disbursement.errors import AboveCeiling

Loc = Sequence[str | int]


def above_ceiling(message: str, loc: Loc) -> AboveCeiling:
    return AboveCeiling(message, errors=[{"loc": list(loc), "msg": message, "type": AboveCeiling.code}])


def ensure_monthly(program: Program, fen: int, loc: Loc) -> int:
    """`fen` as a household's monthly (or one-off) amount of `program`, else the 422."""
    try:
        return check_monthly_amount(program, fen)
    except AmountAboveCeiling as exc:
        raise above_ceiling(str(exc), loc) from None


def ensure_per_person(fen: int, loc: Loc) -> int:
    if fen > PER_PERSON_CEILING_FEN:
        raise above_ceiling(f"an amount per person is at most {Money.from_fen(PER_PERSON_CEILING_FEN)}", loc)
    return fen


def ensure_over_months(program: Program, months: int, fen: int, loc: Loc) -> int:
    """`fen` as money of `months` months of `program` (a recovery), else the 422."""
    ceiling = MONTHLY_CEILING_FEN[program] * max(months, 1)
    if fen > ceiling:
        raise above_ceiling(f"{months} month(s) of {program.value} are at most {Money.from_fen(ceiling)}", loc)
    return fen
