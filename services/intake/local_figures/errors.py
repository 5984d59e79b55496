"""What the local-figures endpoints refuse with (codes in `libs.contracts.errors`)."""

from libs.kernel.errors import Conflict, NotFound


class RuleExists(Conflict):
    code = "rule_exists"


class NoRule(NotFound):
    code = "no_rule"
