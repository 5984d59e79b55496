"""Problems of rosters (codes and messages: libs.contracts.errors.disbursement)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class RosterNotFound(NotFound):
    code = "roster_not_found"


class RosterExists(Conflict):
    code = "roster_exists"


class LaterRosterExists(Conflict):
    code = "later_roster_exists"


class RosterStatusConflict(Conflict):
    code = "roster_status"


class RosterOutdated(Conflict):
    code = "roster_outdated"


class PeriodTooFarAhead(Unprocessable):
    code = "period_too_far_ahead"


class UnknownCounty(Unprocessable):
    code = "unknown_county"


class FundingLetterNotAvailable(Conflict):
    code = "funding_letter_not_available"
