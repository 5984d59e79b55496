"""Problems of bank accounts and their warnings (codes and messages: libs.contracts.errors.disbursement)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class AccountNotFound(NotFound):
    code = "account_not_found"


class WarningNotFound(NotFound):
    code = "warning_not_found"


class WarningClosed(Conflict):
    code = "warning_closed"


class FilterRequired(Unprocessable):
    code = "filter_required"
