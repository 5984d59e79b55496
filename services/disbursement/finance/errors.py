"""Problems of finance's payment results (codes and messages: libs.contracts.errors.disbursement)."""

from libs.kernel.errors import Conflict, Problem, Unprocessable


class TooManyResults(Problem):
    code = "too_many_results"


class ConflictingResults(Unprocessable):
    code = "conflicting_results"


class UnknownLine(Unprocessable):
    code = "unknown_line"


class ResultConflict(Conflict):
    code = "result_conflict"


class RosterReconciled(Conflict):
    code = "roster_reconciled"
