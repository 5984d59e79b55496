"""Codes only the gateway answers with; each is raised as a Problem class in its module's `errors.py`."""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = (
    ErrorCode(
        "callback_not_registered",
        502,
        "The complaints service did not take the callback; try again",
        "投诉服务未能登记回调地址，请重试",
    ),
)
