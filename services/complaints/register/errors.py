"""What the register's endpoints refuse with (codes in `libs.contracts.errors.complaints`)."""

from libs.kernel.errors import Conflict, Forbidden, NotFound, Unprocessable


class ComplaintNotFound(NotFound):
    code = "complaint_not_found"


class NotAssignedToYou(Forbidden):
    code = "not_assigned_to_you"


class ComplaintClosed(Conflict):
    code = "complaint_closed"


class ReceivedInFuture(Unprocessable):
    code = "received_in_future"


class AnonymousItem(Conflict):
    code = "anonymous_item"


class FindingNeedsFacts(Unprocessable):
    code = "finding_needs_facts"


class NotInvestigated(Conflict):
    code = "not_investigated"


class FeedbackRequired(Unprocessable):
    code = "feedback_required"


class SubjectUnidentified(Unprocessable):
    code = "subject_unidentified"


class NotAnswered(Conflict):
    code = "not_answered"
