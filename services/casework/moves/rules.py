"""Which moves take effect when (pure): within the county at once, to another county once accepted and its month
has come, so the county moved from pays every month before it and the receiving county every month from it."""

from __future__ import annotations

from enum import StrEnum

from libs.contracts.period import Period

# A move is announced ahead, never back-dated: the county moved from may have paid the months already.
MAX_MONTHS_AHEAD = 12


class MoveScope(StrEnum):
    VILLAGE = "village"  # another village of the same township
    TOWNSHIP = "township"  # another township of the same county
    COUNTY = "county"  # another county: the receiving county accepts


class MoveStatus(StrEnum):
    PENDING = "pending"  # awaiting the receiving county
    ACCEPTED = "accepted"  # accepted, takes effect when its month comes
    APPLIED = "applied"
    REFUSED = "refused"
    LAPSED = "lapsed"  # the household closed before the move took effect


OPEN = frozenset({MoveStatus.PENDING, MoveStatus.ACCEPTED})


def scope_of(from_region: str, to_village: str) -> MoveScope:
    if from_region[:6] != to_village[:6]:
        return MoveScope.COUNTY
    if from_region[:9] != to_village[:9]:
        return MoveScope.TOWNSHIP
    return MoveScope.VILLAGE


def month_allowed(month: Period, this_month: Period) -> bool:
    return this_month <= month <= this_month + MAX_MONTHS_AHEAD


def takes_effect_now(scope: MoveScope, month: Period, this_month: Period) -> bool:
    """Within the county the same county pays before and after: the move is recorded at once. Between counties the
    household is the old county's until its month begins (the job applies it then)."""
    return scope is not MoveScope.COUNTY or month <= this_month
