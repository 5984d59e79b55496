"""What the local-figures endpoints refuse with (codes in `libs.contracts.errors.complaints`)."""

from libs.kernel.errors import Conflict, NotFound


class PolicyExists(Conflict):
    code = "policy_exists"


class NoPolicy(NotFound):
    code = "no_policy"
