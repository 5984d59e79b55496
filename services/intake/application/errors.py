"""What the application endpoints refuse with (codes in `libs.contracts.errors.intake`; recusal, recipients and
statuses are casework's codes, which intake answers with too). Recusal's refusal is shared with leads
(`services.intake.relatives.errors`)."""

from collections.abc import Sequence

from libs.kernel.errors import Conflict, NotFound, Unprocessable
from services.intake.application.rules import Violation


class ApplicationNotFound(NotFound):
    code = "application_not_found"


class InvalidStatus(Conflict):
    code = "invalid_status"


class PersonInOpenApplication(Conflict):
    code = "person_in_open_application"


class PersonAlreadyRecipient(Conflict):
    code = "person_already_recipient"


class LeadImmutable(Unprocessable):
    code = "lead_immutable"


class AlreadyReturned(Conflict):
    code = "already_returned"


class AlreadyExtended(Conflict):
    code = "already_extended"


class InvalidIdNumberQuery(Unprocessable):
    code = "invalid_id_number"


class RulesBroken(Unprocessable):
    """422 naming every field at fault, in the request `body` or in the stored `application` being submitted.

    The application rules (`rules.py`) each have their own catalogued code (`age_not_eligible`, `one_head_required`,
    …); the problem answers with the first rule's code and lists every violation with its own in `errors`.
    """

    def __init__(self, violations: Sequence[Violation], root: str = "body") -> None:
        first = violations[0]
        super().__init__(
            first.msg,
            code=first.code,
            errors=[{"loc": [root, *v.loc], "msg": v.msg, "code": v.code} for v in violations],
        )
