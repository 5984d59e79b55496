"""A service's word to the gateway's access audit about what a request did: read someone's identity or bank account
number unmasked, exported a roster, decided a case (issue 17: "who read which identity or account number, who decided
what").

The service sets `X-Jiuzhu-Audit: <action> [<target>]` on its response; the gateway records both in the request's
audit row and takes the header off before the caller sees it. The note names the kind of act and the record acted on
(a household, a case, a roster), never the personal data itself.
"""

from __future__ import annotations

import re

from fastapi import Response

AUDIT_NOTE_HEADER = b"x-jiuzhu-audit"
_ACTION = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_TARGET = re.compile(r"[A-Za-z0-9_./:-]{1,128}")


def note(response: Response, action: str, target: str | None = None) -> None:
    """Tell the access audit what this request did (`action` like `bank_account.revealed`, `target` a record id).

    A malformed note is dropped rather than raised: it must never cost the caller their answer."""
    if target is not None and not _TARGET.fullmatch(target):
        target = None
    if _ACTION.fullmatch(action):
        response.headers[AUDIT_NOTE_HEADER.decode()] = action if target is None else f"{action} {target}"


def parse_audit_note(value: str) -> tuple[str, str | None] | None:
    """(action, target) from the header, or None if it is not a well-formed note."""
    action, _, target = value.strip().partition(" ")
    if not _ACTION.fullmatch(action) or (target and not _TARGET.fullmatch(target)):
        return None
    return action, target or None
