"""The rules of a temporary grant as pure functions (seed 004 二(七), DOMAIN.md §2): how much, how soon, how often."""

from __future__ import annotations

import datetime as dt

from libs.contracts.money import Money
from services.casework.local_figures.figures import Standards

# An emergency is paid within days of its discovery; one found months ago is an ordinary application's business.
DISCOVERY_WINDOW = dt.timedelta(days=90)
# Clocks of devices differ a little: a discovery "now" on a phone may be a minute ahead of the server.
CLOCK_SKEW = dt.timedelta(minutes=5)


def amount_problems(fen: int, standards: Standards, family_size: int, *, advance: bool) -> list[tuple[str, str]]:
    """(code, message) for an amount the region's rules do not allow; empty when it may be granted."""
    out: list[tuple[str, str]] = []
    if fen <= 0:
        out.append(("above_grant_limit", "A grant is more than 0.00"))
        return out
    if advance and fen > standards.temporary_advance_ceiling_fen:
        ceiling = Money.from_fen(standards.temporary_advance_ceiling_fen)
        out.append(("above_advance_ceiling", f"先行救助 is at most {ceiling} here; file the rest as an application"))
    limit = standards.temporary_limit_fen(family_size)
    if limit is not None and fen > limit:
        out.append(
            (
                "above_grant_limit",
                f"At most {Money.from_fen(limit)} for a family of {family_size} "
                f"({standards.temporary_standard_months} months of the standard)",
            )
        )
    return out


def same_cause_window_start(on: dt.datetime, standards: Standards) -> dt.datetime | None:
    """Grants for the same cause since this instant count against a new one; None where the region sets no window."""
    months = standards.temporary_same_cause_months
    if months == 0:
        return None
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    day = min(on.day, 28)
    return on.replace(year=year, month=month + 1, day=day)


def discovery_problem(discovered_at: dt.datetime, now: dt.datetime) -> str | None:
    """The code of a discovery time that cannot be an emergency being handled now; None when it can."""
    if discovered_at > now + CLOCK_SKEW:
        return "discovered_in_future"
    if discovered_at < now - DISCOVERY_WINDOW:
        return "discovered_too_long_ago"
    return None


def is_overdue(pay_by: dt.date, today: dt.date, paid_on: dt.date | None) -> bool:
    """Whether the clock was missed: paid after `pay_by`, or still unpaid after it."""
    return (paid_on or today) > pay_by
