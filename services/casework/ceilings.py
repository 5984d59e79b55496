"""Amounts entering casework, held to what a program could pay (libs.contracts.programs): a figure beyond it is a
typo or a hostile one, and one that got into the registry made every later roster of its county fail (issue 17). It
is a 422 `amount_above_ceiling` naming the field, before anything is stored."""

from __future__ import annotations

from collections.abc import Sequence

from libs.contracts.money import Money
from libs.contracts.programs import AmountAboveCeiling, Program, check_monthly_amount
from libs.kernel.errors import Unprocessable

Loc = Sequence[str | int]

# The most one figure found or declared about a household may be (a year's income of one kind, a deduction, a
# supporter's monthly help): far above any applicant's means, yet the sums computed from hundreds of them stay in
# range. Intake holds declarations to the same figure.
DECLARED_CEILING_FEN = Money.from_str("100000000.00").fen


class AboveCeiling(Unprocessable):
    # Raised by intake and disbursement too: the code belongs to libs.contracts.programs, not to one service.
    code = AmountAboveCeiling.code


def above_ceiling(message: str, *locs: Loc) -> AboveCeiling:
    return AboveCeiling(
        message,
        errors=[{"loc": list(loc), "msg": message, "type": AmountAboveCeiling.code} for loc in locs],
    )


def ensure_monthly(program: Program, fen: int, loc: Loc) -> int:
    """`fen` as a household's monthly (or one-off) amount of `program`, else the 422."""
    try:
        return check_monthly_amount(program, fen)
    except AmountAboveCeiling as exc:
        raise above_ceiling(str(exc), loc) from None
