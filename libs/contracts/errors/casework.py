"""Codes only casework answers with; each is raised as a Problem class in its module's `errors.py`."""

from libs.contracts.errors.entry import ErrorCode

CODES: tuple[ErrorCode, ...] = ()
