"""How the watch list is shown to an operator: counts only, never a person."""

from __future__ import annotations

from dataclasses import asdict

from services.matching.watchlist.repository import WatchCounts
from services.matching.watchlist.schemas import WatchSummary


def summary_out(region_code: str, month: str, counted: WatchCounts) -> WatchSummary:
    return WatchSummary(region_code=region_code, month=month, **asdict(counted))
