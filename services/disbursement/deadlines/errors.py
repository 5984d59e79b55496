"""Problems of the payment deadline (codes and messages: libs.contracts.errors.disbursement)."""

from libs.kernel.errors import Conflict, Unprocessable


class DeadlineFiguresExist(Conflict):
    code = "deadline_figures_exist"


class FiguresInPast(Unprocessable):
    code = "figures_in_past"


class PaidByBeforeDue(Unprocessable):
    code = "paid_by_before_due"


class PeriodNotBegun(Unprocessable):
    code = "period_not_begun"
