"""The refusal of recusal (code `recusal_required`, casework's concept, in `libs.contracts.errors.casework`)."""

from libs.kernel.errors import Forbidden


class RecusalRequired(Forbidden):
    code = "recusal_required"
