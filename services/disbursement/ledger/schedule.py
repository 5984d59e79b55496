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

from services.disbursement.ledger.models import SegmentOrigin

_OPEN = 10**7  # a month index beyond any real month: "no end"
PAYING = frozenset({"active", "gradual_exit"})


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


def _index(month: dt.date) -> int:
    return month.year * 12 + month.month - 1


def _month(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class _Run:
    first: int
    last: int  # inclusive
    status: str
    due_fen: int
    origin: SegmentOrigin


def _overlay(runs: list[_Run], new: _Run) -> list[_Run]:
    kept: list[_Run] = []
    for run in runs:
        if run.last < new.first or run.first > new.last:
            kept.append(run)
            continue
        if run.first < new.first:
            kept.append(_Run(run.first, new.first - 1, run.status, run.due_fen, run.origin))
        if run.last > new.last:
            kept.append(_Run(new.last + 1, run.last, run.status, run.due_fen, run.origin))
    kept.append(new)
    return kept


def schedule(events: Iterable[PeriodEvent], deaths: Mapping[str, dt.date]) -> list[Segment]:
    """`events` in the order received; `deaths` maps a person's keyed hash to the first month not due (the month
    after the death). Segments come back in month order, without overlaps or gaps between consecutive months."""
    runs: list[_Run] = []
    for event in events:
        last = _index(event.last_month) if event.last_month else _OPEN
        due = event.amount_fen if event.status in PAYING else 0
        first = _index(event.first_month)
        runs = _overlay(runs, _Run(first, last, event.status, due, SegmentOrigin.CASEWORK))
        stops = [deaths[h] for h in event.member_hashes if h in deaths]
        # Over the months this event decides, from the month after the death: months casework decided in another
        # event, without the person, keep that decision.
        stop = max(_index(min(stops)), first) if stops else None
        if stop is not None and stop <= last:
            runs = _overlay(runs, _Run(stop, last, "stopped", 0, SegmentOrigin.DEATH))
    runs.sort(key=lambda r: r.first)
    merged: list[_Run] = []
    for run in runs:  # neighbours saying the same are one segment (a death stop laid over two events)
        last_run = merged[-1] if merged else None
        same = last_run is not None and (last_run.status, last_run.due_fen, last_run.origin) == (
            run.status,
            run.due_fen,
            run.origin,
        )
        if last_run is not None and same and last_run.last + 1 == run.first:
            merged[-1] = _Run(last_run.first, run.last, run.status, run.due_fen, run.origin)
        else:
            merged.append(run)
    runs = merged
    return [
        Segment(_month(r.first), None if r.last >= _OPEN else _month(r.last), r.status, r.due_fen, r.origin)
        for r in runs
    ]


def due_in(segments: Iterable[Segment], month: dt.date) -> int:
    """What `month` pays under `segments` (0 outside them)."""
    at = _index(month)
    for s in segments:
        last = _index(s.last_month) if s.last_month else _OPEN
        if _index(s.first_month) <= at <= last:
            return s.due_fen
    return 0
