"""Problems any module of disbursement raises about an amount entered by staff (codes: libs.contracts.errors)."""

from libs.kernel.errors import Unprocessable


class InvalidAmount(Unprocessable):
    code = "invalid_amount"


class AboveCeiling(Unprocessable):
    # Raised by casework too; the code is catalogued with the ceilings, in common (libs.contracts.errors.common).
    code = "amount_above_ceiling"
