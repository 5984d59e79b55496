"""How much of a work order complaints keeps (CONTRACTS.md §2: `raw` and `content` have size limits).

The whole request is kept sealed, as received, to answer a repeat identically and to show what the platform sent; a
40 MB `raw` was once accepted and stored. The gateway and every service already refuse a body over 4 MiB before it
is parsed (libs/kernel/input_guard.py); these are the work order's own, much smaller, bounds. `content`, `title`,
names and addresses are bounded in their types (422); what is counted here in bytes is a `413`.
"""

from __future__ import annotations

from typing import Any

from libs.kernel.receipts import compact_json
from services.complaints.hotline.errors import RawTooLarge, WorkOrderTooLarge

# `raw` as compact UTF-8 JSON: a platform's own record of a call is a few kilobytes.
RAW_MAX_BYTES = 64 * 1024
# The body as sent: every bounded field written at its longest, with `\uXXXX` escapes and indentation, stays below.
WORK_ORDER_MAX_BYTES = 512 * 1024


def raw_size(raw: dict[str, Any]) -> int:
    return len(compact_json(raw))


def check_size(raw: dict[str, Any], payload: bytes) -> None:
    """413 before anything is stored: a `raw` over its limit, or a body (unknown fields count) over the work order's."""
    if len(payload) > WORK_ORDER_MAX_BYTES:
        raise WorkOrderTooLarge(f"A work order is at most {WORK_ORDER_MAX_BYTES} bytes as sent")
    if raw_size(raw) > RAW_MAX_BYTES:
        raise RawTooLarge(
            f"raw is at most {RAW_MAX_BYTES} bytes as compact JSON",
            errors=[{"loc": ["body", "raw"], "msg": f"at most {RAW_MAX_BYTES} bytes as compact JSON"}],
        )
