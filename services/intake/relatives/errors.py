"""The one refusal of recusal (code in `libs.contracts.errors`): applications and leads answer with it alike."""

from libs.kernel.errors import Forbidden


class RecusalRequired(Forbidden):
    code = "recusal_required"
