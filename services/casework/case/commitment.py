"""The household's commitment (属实承诺书) at review (seed 001 三(五): "申报或复核时应填写…属实承诺书", issue 21).

An application's was signed at intake (its declarations); a review has no application, so its investigation carries
the commitment, signed for this review: not before the review opened (last year's does not cover this year's
figures) and not after today.
"""

from __future__ import annotations

import datetime as dt

from libs.contracts.clock import business_date
from services.casework.case.errors import CommitmentDateInvalid, CommitmentRequired
from services.casework.case.models import Case
from services.casework.case.rules import CaseKind
from services.casework.case.schemas import CommitmentIn


def commitment_problem(
    kind: CaseKind, commitment: CommitmentIn | None, *, opened_on: dt.date, today: dt.date
) -> tuple[str, tuple[str, ...], str] | None:
    """(code, field, message) when the commitment is missing, unsigned or misdated; None when it will do."""
    review = kind is not CaseKind.APPLICATION
    if commitment is None or not commitment.signed:
        # An application's commitment was signed at intake: one given again here is kept, never required.
        if not review:
            return None
        if commitment is None:
            return "commitment_required", (), "a review's investigation carries the household's signed commitment"
        return "commitment_required", ("signed",), "the commitment must be signed"
    if commitment.signed_on > today:
        return "commitment_date_invalid", ("signed_on",), "the commitment is dated in the future"
    if review and commitment.signed_on < opened_on:
        return "commitment_date_invalid", ("signed_on",), "the commitment is dated before the review opened"
    return None


def ensure_commitment(case: Case, commitment: CommitmentIn | None, today: dt.date) -> None:
    """422 `commitment_required` or `commitment_date_invalid`, naming the field."""
    problem = commitment_problem(CaseKind(case.kind), commitment, opened_on=business_date(case.opened_at), today=today)
    if problem is None:
        return
    code, field, message = problem
    cls = CommitmentRequired if code == CommitmentRequired.code else CommitmentDateInvalid
    raise cls(message, errors=[{"loc": ["body", "commitment", *field], "msg": message, "code": code}])
