"""What the province's warning endpoint refuses with (codes in `libs.contracts.errors.intake`)."""

from libs.kernel.errors import Conflict


class WarningIdReused(Conflict):
    code = "warning_id_reused"
