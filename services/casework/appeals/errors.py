"""The problems of appeals (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, Forbidden, NotFound, Unprocessable


class AppealNotFound(NotFound):
    code = "appeal_not_found"


class NotAppealable(Unprocessable):
    code = "not_appealable"


class AppealLate(Unprocessable):
    code = "appeal_late"


class AppealExists(Conflict):
    code = "appeal_exists"


class AppealDecided(Conflict):
    code = "appeal_decided"


class AppealSameOfficer(Forbidden):
    code = "appeal_same_officer"


class DecisionSuperseded(Conflict):
    code = "decision_superseded"
