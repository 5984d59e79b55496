"""Valid test identity numbers, built with the check function so no real person's number is used."""

from __future__ import annotations

import itertools
import random
from datetime import date

from libs.contracts.id_number import check_character


def make_id(born: date, *, region: str = "140402", seq: str = "123") -> str:
    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + check_character(first17)


# One sequence for the whole test session. Intake's and casework's tests both draw identity numbers of this shape, and
# a service's consumer (the e2e system's intake worker, say) takes another package's household events into its own
# tables: with a sequence per package, one person was now and then both a recipient there and a new applicant here.
_session_seq = itertools.count(random.randint(100, 900))


def next_seq() -> int:
    return next(_session_seq)


def fresh_id(born: date) -> str:
    """A valid identity number no other test of the session uses (varying sequence and region digits), registered in
    Shanxi (14): intake's and casework's people."""
    n = next_seq()
    return make_id(born, region=f"{140400 + n % 99:06d}", seq=f"{n % 1000:03d}")


def fresh_id_65(born: date = date(1970, 5, 6)) -> str:
    """A valid identity number no other test of the session uses, registered in the tests' fictional province 65:
    matching's, complaints' and disbursement's people."""
    n = next_seq()
    return make_id(born, region=f"{650000 + n % 9999:06d}", seq=f"{n % 1000:03d}")
