"""Problems of reading a household's entitlements (codes and messages: libs.contracts.errors)."""

from libs.kernel.errors import NotFound


class HouseholdNotFound(NotFound):
    # Households are casework's: the code is catalogued in its area (libs.contracts.errors.casework).
    code = "household_not_found"
