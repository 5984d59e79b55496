"""The problems of moves (codes and messages in libs/contracts/errors/casework.py)."""

from libs.kernel.errors import Conflict, NotFound, Unprocessable


class MoveNotFound(NotFound):
    code = "move_not_found"


class MoveToSamePlace(Unprocessable):
    code = "move_to_same_place"


class MoveMonthOutOfRange(Unprocessable):
    code = "move_month_out_of_range"


class MovePending(Conflict):
    code = "move_pending"


class HouseholdCaseOpen(Conflict):
    code = "household_case_open"


class MoveDecided(Conflict):
    code = "move_decided"
