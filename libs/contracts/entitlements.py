"""What an `entitlement-changed` event means, written once for every service that consumes it (pure).

Casework publishes an entitlement as a series of events (CONTRACTS.md §6): the open-ended `active` of the approval, an
adjustment from a later month, a gradual exit as one event per step, then `stopped` from the first month without
payment. Each consumer (disbursement's ledger, matching's watch list, intake's recipients) used to re-code what such a
series says; reading it two ways would pay a month the watch list no longer checks, or the reverse. Here are the two
readings every consumer shares:

- which statuses *pay* (a month in them is due money) and which are *current* (the household still has the program:
  it is a current recipient, stays on the watch list, is not a new applicant for it) — a suspended household is
  current but not paid (DOMAIN.md §9);
- which event decides a month: the latest one received that covers it (`MonthOverlay`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.period import Period

__all__ = ["CURRENT", "PAYING", "EntitlementStatus", "MonthOverlay", "Run", "is_current", "pays"]

# Months in these statuses are due their monthly amount: a gradual exit pays its step (DOMAIN.md §4).
PAYING: frozenset[EntitlementStatus] = frozenset({EntitlementStatus.ACTIVE, EntitlementStatus.GRADUAL_EXIT})
# The household is a current recipient of the program (CONTRACTS.md §4): only `stopped` lets go. A suspension holds
# payments back (a "hold", DOMAIN.md §9) but the household keeps its status, so it is still a recipient and watched.
CURRENT: frozenset[EntitlementStatus] = frozenset(EntitlementStatus) - {EntitlementStatus.STOPPED}


def pays(status: str) -> bool:
    """Whether a month in `status` is due money (a status as stored, or the enum itself)."""
    return status in PAYING


def is_current(status: str) -> bool:
    """Whether a household whose program is in `status` is still its recipient (on the rolls, watched)."""
    return status in CURRENT


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Run(Generic[T]):
    """Consecutive months, `first` to `last` inclusive (`last` None: every month from `first` on), saying `value`."""

    first: Period
    last: Period | None
    value: T

    def covers(self, month: Period) -> bool:
        return self.first <= month and (self.last is None or month <= self.last)


_LAST = Period(9999, 12)


def _ends_before(last: Period | None, month: Period) -> bool:
    return last is not None and last < month


class MonthOverlay(Generic[T]):
    """An entitlement's months as its events decide them: each event laid over those before it overrides exactly the
    months it covers, so the months of an earlier event outside the later one keep what the earlier one said.

    Lay events in the order received (which is the order casework decided them, one household's events being on one
    partition). `value` is what a consumer keeps of an event: a status, or a status with an amount.
    """

    def __init__(self) -> None:
        self._runs: list[Run[T]] = []

    def lay(self, first: Period, last: Period | None, value: T) -> None:
        """`value` from `first` to `last` (None: open-ended), over whatever was said of those months before."""
        kept: list[Run[T]] = []
        for run in self._runs:
            if _ends_before(run.last, first) or _ends_before(last, run.first):
                kept.append(run)
                continue
            if run.first < first:
                kept.append(Run(run.first, first.prev(), run.value))
            # Nothing comes after 9999-12, the last month a Period can be.
            if last is not None and last < _LAST and (run.last is None or last < run.last):
                kept.append(Run(last.next(), run.last, run.value))
        kept.append(Run(first, last, value))
        self._runs = kept

    def runs(self) -> list[Run[T]]:
        """The months decided, in month order, without overlaps; neighbours saying the same are one run."""
        merged: list[Run[T]] = []
        for run in sorted(self._runs, key=lambda r: r.first):
            previous = merged[-1] if merged else None
            if previous is not None and previous.value == run.value and previous.last == run.first.prev():
                merged[-1] = Run(previous.first, run.last, run.value)
            else:
                merged.append(run)
        return merged
