"""Problems of recovery orders (codes and messages: libs.contracts.errors.disbursement)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class RecoveryNotFound(NotFound):
    code = "recovery_not_found"


class RecoveryClosed(Conflict):
    code = "recovery_closed"


class AmountExceedsOutstanding(Unprocessable):
    code = "amount_exceeds_outstanding"
