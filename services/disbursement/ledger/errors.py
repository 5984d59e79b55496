"""Problems of holds as staff place and release them (codes and messages: libs.contracts.errors.disbursement)."""

from libs.kernel.errors import Conflict, NotFound


class HoldNotFound(NotFound):
    code = "hold_not_found"


class NotEntitled(NotFound):
    code = "not_entitled"


class AlreadyHeld(Conflict):
    code = "already_held"


class HoldReleased(Conflict):
    code = "hold_released"


class AccountHold(Conflict):
    code = "account_hold"


class AmountHold(Conflict):
    code = "amount_hold"
