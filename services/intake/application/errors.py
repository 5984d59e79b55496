"""What the application endpoints refuse with (codes in `libs.contracts.errors.intake`; recusal, recipients and
statuses are casework's codes, which intake answers with too)."""

from libs.kernel.errors import Conflict, Forbidden, NotFound, Unprocessable


class ApplicationNotFound(NotFound):
    code = "application_not_found"


class InvalidStatus(Conflict):
    code = "invalid_status"


class RecusalRequired(Forbidden):
    code = "recusal_required"


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
