"""The problems of temporary grants (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class GrantNotFound(NotFound):
    code = "grant_not_found"


class AboveAdvanceCeiling(Unprocessable):
    code = "above_advance_ceiling"


class AboveGrantLimit(Unprocessable):
    code = "above_grant_limit"


class SameCauseHelped(Conflict):
    code = "same_cause_helped"


class DiscoveredInFuture(Unprocessable):
    code = "discovered_in_future"


class DiscoveredTooLongAgo(Unprocessable):
    code = "discovered_too_long_ago"


class AccountMissing(Conflict):
    code = "account_missing"


class ReclaimReasonRequired(Unprocessable):
    # The catalogue's code for a decision that needs its written reason (a reclaim, like a rejection or a stop).
    code = "reason_required"


class GrantState(Conflict):
    code = "grant_state"
