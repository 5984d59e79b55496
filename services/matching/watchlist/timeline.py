"""The months in which an entitlement's household is a current recipient, from the `entitlement-changed` events
received for it (pure).

A later event overrides the months it covers (CONTRACTS.md §6), as `libs.contracts.entitlements.MonthOverlay` reads
the series for every consumer: a gradual exit arrives as one event per step, then `stopped` from the first month
without payment, on top of the open-ended `active` of the approval. A household is watched while it is a current
recipient (DOMAIN.md §5), so a suspended month counts here although disbursement pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from libs.contracts.entitlements import MonthOverlay, is_current
from libs.contracts.period import Period


@dataclass(frozen=True)
class PeriodEvent:
    status: str
    effective_from: str
    effective_to: str | None


@dataclass(frozen=True)
class Paid:
    open_ended: bool
    last_month: str | None  # None with open_ended False: no month is current


def paid_months(events: Iterable[PeriodEvent]) -> Paid:
    """`events` in the order received (oldest first)."""
    months = MonthOverlay[str]()
    for event in events:
        last = Period.parse(event.effective_to) if event.effective_to else None
        months.lay(Period.parse(event.effective_from), last, event.status)
    current = [run for run in months.runs() if is_current(run.value)]
    if not current:
        return Paid(False, None)
    if any(run.last is None for run in current):
        return Paid(True, None)
    return Paid(False, str(max(run.last for run in current if run.last is not None)))
