"""What the hotline-platform endpoints refuse with (codes in `libs.contracts.errors.complaints`)."""

from libs.kernel.errors import Unprocessable


class CallbackUrlRefused(Unprocessable):
    code = "callback_url_refused"
