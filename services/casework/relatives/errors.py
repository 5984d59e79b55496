"""The problems of the close-relative register (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class FilingNotFound(NotFound):
    code = "filing_not_found"


class FilingExists(Conflict):
    code = "filing_exists"


class AlreadyWithdrawn(Conflict):
    code = "already_withdrawn"


class InvalidCursor(Unprocessable):
    # A common code (libs/contracts/errors/common.py): a filing id past a bigint in a cursor we did not issue.
    code = "invalid_cursor"
