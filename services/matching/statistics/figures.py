"""What each of matching's figures counts: a condition on the hit or death row (labels in
`libs.contracts.statistics.matching`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func, or_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.modules.figures_by_region import Counts, Window, count_by_child, merged
from services.matching.hits.models import Death, Hit, HitStatus

Figures = list[tuple[str, ColumnElement[bool]]]


def _resolved_day() -> ColumnElement[object]:
    # The 14 days are China calendar days: the day of the township's answer against the due date.
    return func.date(func.timezone("Asia/Shanghai", Hit.resolved_at))


def hit_figures(window: Window) -> Figures:
    """Counted per source too (`count_by_child`'s split), which gives the `<figure>_<source>` keys."""
    return [
        ("raised", window.during(Hit.raised_at)),
        ("confirmed", and_(Hit.status == HitStatus.CONFIRMED.value, window.during(Hit.resolved_at))),
        ("dismissed", and_(Hit.status == HitStatus.DISMISSED.value, window.during(Hit.resolved_at))),
        # The deadline passed in the month (and has passed by now) with no answer by the due date.
        (
            "overdue",
            and_(
                window.day_during(Hit.due_date),
                Hit.due_date < window.as_of_day,
                or_(Hit.resolved_at.is_(None), _resolved_day() > Hit.due_date),
            ),
        ),
        (
            "open_overdue",
            and_(Hit.raised_at < window.as_of, window.not_yet(Hit.resolved_at), Hit.due_date < window.as_of_day),
        ),
    ]


def _touched(window: Window) -> ColumnElement[bool]:
    """Rows any figure can count: raised or answered in the month, due in it, or still open past due at its end.
    Written apart from the figures so each arm is a plain range the indexes of migration 0007 serve."""
    return or_(
        window.during(Hit.raised_at),
        window.during(Hit.resolved_at),
        window.day_during(Hit.due_date),
        and_(Hit.due_date < window.as_of_day, Hit.raised_at < window.as_of, window.not_yet(Hit.resolved_at)),
    )


async def matching_counts(session: AsyncSession, window: Window) -> Counts:
    deaths: Figures = [("deaths_found", window.during(Death.raised_at))]
    return merged(
        await count_by_child(session, window, Hit.region_code, _touched(window), hit_figures(window), Hit.source),
        await count_by_child(session, window, Death.region_code, deaths[0][1], deaths),
    )
