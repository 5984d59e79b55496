"""The gateway's accounts as the tests make them: the administrator's password and names no other test uses."""

from __future__ import annotations

import uuid

ADMIN_PASSWORD = "gateway-tests-root-2026"


def unique_name(stem: str) -> str:
    return f"{stem}-{uuid.uuid4().hex[:10]}"
