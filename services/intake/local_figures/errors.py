"""What the local-figures endpoints refuse with (codes in `libs.contracts.errors`)."""

from collections.abc import Sequence

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class RuleExists(Conflict):
    code = "rule_exists"


class NoRule(NotFound):
    code = "no_rule"


class FiguresOutOfBounds(Unprocessable):
    """A figure a region may not set (`above_national_cap`, `out_of_range`): the first one's code, every one listed."""

    def __init__(self, violations: Sequence[tuple[str, str, str]]) -> None:
        _field, code, msg = violations[0]
        super().__init__(msg, code=code, errors=[{"loc": ["body", f], "msg": m} for f, _, m in violations])
