"""What each of complaints' figures counts: a condition on the ledger's row (labels in
`libs.contracts.statistics.complaints`). An item is counted where it happened (its region), not by the unit that
handles it, so a county's figures are the sum of its townships' whoever handled them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, not_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.statistics.complaints import CATEGORIES
from libs.modules.figures_by_region import Counts, Window, count_by_child
from services.complaints.register.models import Complaint
from services.complaints.register.rules import CLOSED, Channel, Source

Figures = list[tuple[str, ColumnElement[bool]]]

# Staff-logged items by channel as a bureau reports them; the online channels are one line.
_STAFF_CHANNELS: dict[str, frozenset[Channel]] = {
    "letter": frozenset({Channel.LETTER}),
    "visit": frozenset({Channel.VISIT}),
    "phone": frozenset({Channel.PHONE}),
    "online": frozenset({Channel.WEB, Channel.WECHAT, Channel.APP, Channel.ONLINE}),
}


def complaint_figures(window: Window) -> Figures:
    c = Complaint
    received = window.during(c.received_at)
    closed = and_(c.status.in_([s.value for s in CLOSED]), window.during(c.handled_at))
    real_name_closed = and_(closed, not_(c.anonymous))
    figures: Figures = [("received", received)]
    figures += [(f"received_category_{key}", and_(received, c.category == key)) for key in CATEGORIES]
    figures.append(("received_channel_hotline", and_(received, c.source == Source.HOTLINE.value)))
    figures += [
        (
            f"received_channel_{key}",
            and_(received, c.source == Source.STAFF.value, c.channel.in_([ch.value for ch in channels])),
        )
        for key, channels in _STAFF_CHANNELS.items()
    ]
    figures += [
        ("closed", closed),
        ("closed_on_time", and_(closed, c.handled_at <= c.due_at)),
        ("closed_late", and_(closed, c.handled_at > c.due_at)),
        (
            "open_overdue",
            and_(
                c.received_at < window.as_of,
                # handled_at is set only when an item closes (resolved or returned).
                window.not_yet(c.handled_at),
                c.due_at < window.as_of,
            ),
        ),
        ("real_name_closed", real_name_closed),
        ("real_name_with_feedback", and_(real_name_closed, c.feedback_at.is_not(None))),
    ]
    return figures


def _touched(window: Window) -> ColumnElement[bool]:
    """Rows any figure can count: received or closed in the month, or still open past the deadline at its end."""
    c = Complaint
    return or_(
        window.during(c.received_at),
        window.during(c.handled_at),
        and_(c.due_at < window.as_of, c.received_at < window.as_of, window.not_yet(c.handled_at)),
    )


async def complaint_counts(session: AsyncSession, window: Window) -> Counts:
    return await count_by_child(session, window, Complaint.region_code, _touched(window), complaint_figures(window))
