"""The problems of cases (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, Forbidden, NotFound, Problem, Unprocessable


class CaseNotFound(NotFound):
    code = "case_not_found"


class AttachmentNotFound(NotFound):
    code = "attachment_not_found"


class InvalidStatus(Conflict):
    code = "invalid_status"


class StandardMissing(Conflict):
    code = "standard_missing"


class CountyInvestigationRequired(Forbidden):
    code = "county_investigation_required"


class ConfirmationNotDelegated(Forbidden):
    code = "confirmation_not_delegated"


class RecusalRequired(Forbidden):
    code = "recusal_required"


class TwoInvestigatorsRequired(Unprocessable):
    code = "two_investigators_required"


class NotAMember(Unprocessable):
    code = "not_a_member"


class VisitInFuture(Unprocessable):
    code = "visit_in_future"


class HouseholdEmpty(Unprocessable):
    code = "household_empty"


class NotEligible(Unprocessable):
    code = "not_eligible"


class OutcomeNotAllowed(Unprocessable):
    code = "outcome_not_allowed"


class OutcomeAgainstRule(Unprocessable):
    code = "outcome_against_rule"


class ReasonRequired(Unprocessable):
    code = "reason_required"


class EmptyAttachment(Unprocessable):
    code = "empty_attachment"


class PayloadTooLarge(Problem):
    code, title = "payload_too_large", "The attachment is too large"


class StopBeforeDeath(Unprocessable):
    code = "stop_before_death"


class DeathInFuture(Unprocessable):
    code = "death_in_future"


class HouseholdClosed(Conflict):
    code = "household_closed"


# A proposal's outcome checks (rules.outcome_violations) name one of these codes.
OUTCOME_PROBLEMS: dict[str, type[Unprocessable]] = {c.code: c for c in (OutcomeNotAllowed, ReasonRequired)}


class SimplifiedReviewNotAllowed(Unprocessable):
    code = "simplified_review_not_allowed"


class HomeVisitRequired(Unprocessable):
    code = "home_visit_required"


class AlreadyAMember(Conflict):
    code = "already_a_member"


class DuplicateMember(Unprocessable):
    # Catalogued once, with intake's (libs/contracts/errors/intake.py): the same mistake on either side.
    code = "duplicate_member"


class HeadNotRemaining(Unprocessable):
    code = "head_not_remaining"


# The household's commitment at review and the village's evaluation (issue 21).
class CommitmentRequired(Unprocessable):
    code = "commitment_required"


class CommitmentDateInvalid(Unprocessable):
    code = "commitment_date_invalid"


class EvaluationRequired(Conflict):
    code = "evaluation_required"


class EvaluationExists(Conflict):
    code = "evaluation_exists"


class EvaluationDateInvalid(Unprocessable):
    code = "evaluation_date_invalid"


class EvaluationInconsistent(Unprocessable):
    code = "evaluation_inconsistent"


class DissentRequired(Unprocessable):
    code = "dissent_required"


# An evaluation's checks (evaluation_rules.violations) name one of these codes.
EVALUATION_PROBLEMS: dict[str, type[Unprocessable]] = {
    c.code: c for c in (EvaluationDateInvalid, EvaluationInconsistent, DissentRequired)
}
