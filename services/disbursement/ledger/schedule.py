"""An entitlement's months, from the `entitlement-changed` events received for it and the deaths among its members
(pure).

A later event overrides the months it covers (CONTRACTS.md §6): a gradual exit arrives as one event per step of its
schedule, then `stopped` from the first month without payment, on top of the open-ended `active` of the approval.
Nothing is due after the month a listed member died (DOMAIN.md §9): the death is laid over the months of every event
that still lists the person, so only a decision casework takes without them pays those months again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from libs.contracts.entitlements import EntitlementStatus, MonthOverlay, pays
from libs.contracts.period import Period
from services.disbursement.entitlements.models import SegmentOrigin


@dataclass(frozen=True)
class PeriodEvent:
    status: str
    amount_fen: int
    first_month: dt.date
    last_month: dt.date | None
    member_hashes: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    first_month: dt.date
    last_month: dt.date | None
    status: str
    due_fen: int
    origin: SegmentOrigin


@dataclass(frozen=True)
class _Due:
    status: str
    due_fen: int
    origin: SegmentOrigin


_DEATH = _Due(EntitlementStatus.STOPPED.value, 0, SegmentOrigin.DEATH)


def _period(month: dt.date | None) -> Period | None:
    return None if month is None else Period.of(month)


def schedule(events: Iterable[PeriodEvent], deaths: Mapping[str, dt.date]) -> list[Segment]:
    """`events` in the order received; `deaths` maps a person's keyed hash to the first month not due (the month
    after the death). Segments come back in month order, without overlaps or gaps between consecutive months;
    neighbours saying the same (a death stop laid over two events) are one segment."""
    months = MonthOverlay[_Due]()
    for event in events:
        first, last = Period.of(event.first_month), _period(event.last_month)
        due = event.amount_fen if pays(event.status) else 0
        months.lay(first, last, _Due(event.status, due, SegmentOrigin.CASEWORK))
        stops = [Period.of(deaths[h]) for h in event.member_hashes if h in deaths]
        # Over the months this event decides, from the month after the death: months casework decided in another
        # event, without the person, keep that decision.
        stop = max(min(stops), first) if stops else None
        if stop is not None and (last is None or stop <= last):
            months.lay(stop, last, _DEATH)
    return [
        Segment(
            run.first.first_day,
            None if run.last is None else run.last.first_day,
            run.value.status,
            run.value.due_fen,
            run.value.origin,
        )
        for run in months.runs()
    ]


def due_in(segments: Iterable[Segment], month: dt.date) -> int:
    """What `month` pays under `segments` (0 outside them)."""
    at = Period.of(month)
    for s in segments:
        if Period.of(s.first_month) <= at and (s.last_month is None or at <= Period.of(s.last_month)):
            return s.due_fen
    return 0


class _Month(Protocol):
    """A segment as stored or computed: its months, status and origin."""

    @property
    def first_month(self) -> dt.date: ...
    @property
    def last_month(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def origin(self) -> str: ...


def status_in(segments: Iterable[_Month], month: dt.date, decided: str) -> str:
    """The entitlement's status in `month`, as its months say: a gradual exit reads `gradual_exit` while its steps pay
    although the `stopped` that follows them was the last event received (CONTRACTS.md §6).

    `decided` (the latest decision received) where no month of casework's says otherwise: before the first month
    paid, after a bounded last one, or in a month a death holds (the death is not casework's decision).
    """
    at = Period.of(month)
    for s in segments:
        if Period.of(s.first_month) <= at and (s.last_month is None or at <= Period.of(s.last_month)):
            return s.status if s.origin == SegmentOrigin.CASEWORK else decided
    return decided
