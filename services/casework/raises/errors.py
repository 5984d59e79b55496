"""The problems of standard raises (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import NotFound, Unprocessable


class MonthOutOfRange(Unprocessable):
    code = "raise_month_out_of_range"


class NoNewStandard(Unprocessable):
    code = "no_new_standard"


class RaiseNotFound(NotFound):
    code = "standard_raise_not_found"
