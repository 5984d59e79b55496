"""What the hotline endpoints refuse with (codes in `libs.contracts.errors.complaints`)."""

from libs.kernel.errors import Conflict, NotFound, Problem


class PayloadTooLarge(Problem):
    code = "payload_too_large"


class WorkOrderTooLarge(PayloadTooLarge):
    code = "work_order_too_large"


class RawTooLarge(PayloadTooLarge):
    code = "raw_too_large"


class WorkOrderConflict(Conflict):
    code = "work_order_conflict"


class WorkOrderNotFound(NotFound):
    code = "work_order_not_found"
