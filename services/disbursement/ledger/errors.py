"""Problems of households and holds (codes and messages: libs.contracts.errors.disbursement)."""

from libs.kernel.errors import Conflict, NotFound


class HouseholdNotFound(NotFound):
    # Households are casework's: the code is catalogued in its area (libs.contracts.errors.casework).
    code = "household_not_found"


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
