"""Which months an entitlement pays, from the `entitlement-changed` events received for it (pure).

A later event overrides the months it covers (CONTRACTS.md §6): a gradual exit arrives as one event per step, then
`stopped` from the first month without payment, on top of the open-ended `active` of the approval.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from libs.contracts.period import Period

_FOREVER = 10**9
_NOT_PAID = frozenset({"stopped"})


@dataclass(frozen=True)
class PeriodEvent:
    status: str
    effective_from: str
    effective_to: str | None


@dataclass(frozen=True)
class Paid:
    open_ended: bool
    last_month: str | None  # None with open_ended False: no month is paid


def _index(period: str) -> int:
    p = Period.parse(period)
    return p.year * 12 + p.month - 1


def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def paid_months(events: Iterable[PeriodEvent]) -> Paid:
    """`events` in the order received (oldest first)."""
    segments: list[tuple[int, int, str]] = []  # (first, last, status), last inclusive
    for event in events:
        start = _index(event.effective_from)
        end = _index(event.effective_to) if event.effective_to else _FOREVER
        kept: list[tuple[int, int, str]] = []
        for first, last, status in segments:
            if last < start or first > end:
                kept.append((first, last, status))
                continue
            if first < start:
                kept.append((first, start - 1, status))
            if last > end:
                kept.append((end + 1, last, status))
        kept.append((start, end, event.status))
        segments = kept
    paid = [(first, last) for first, last, status in segments if status not in _NOT_PAID]
    if not paid:
        return Paid(False, None)
    last = max(last for _, last in paid)
    if last >= _FOREVER:
        return Paid(True, None)
    return Paid(False, _month(last))
