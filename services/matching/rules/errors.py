"""What changing the rules can refuse (codes in libs/contracts/errors/matching.py)."""

from libs.kernel.errors import Conflict, Unprocessable


class InvalidRule(Unprocessable):
    code = "invalid_rule"


class RuleExists(Conflict):
    code = "rule_exists"
