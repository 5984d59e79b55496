"""Repeat petitions (DOMAIN.md §6: repeated items from the same person or about the same subject are linked, not
treated as new): the latest earlier item of the same county sharing a caller or a subject within the region's window.

Only the same county: the county answers for its area (DOMAIN.md §1), and a link across counties showed one county's
items, and their platforms' numbers, to another's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.complaints.register.models import Complaint


@dataclass(frozen=True)
class Keys:
    """The keyed hashes (and household id) an item is compared by; None where the item does not know it."""

    caller_phone: str | None = None
    caller_id: str | None = None
    subject_id: str | None = None
    subject_household: str | None = None

    def caller_match(self) -> ColumnElement[bool]:
        terms = [
            *([Complaint.caller_phone_hash == self.caller_phone] if self.caller_phone else []),
            *([Complaint.caller_id_hash == self.caller_id] if self.caller_id else []),
        ]
        return or_(*terms) if terms else false()

    def subject_match(self) -> ColumnElement[bool]:
        terms = [
            *([Complaint.subject_id_hash == self.subject_id] if self.subject_id else []),
            *([Complaint.subject_household_id == self.subject_household] if self.subject_household else []),
        ]
        return or_(*terms) if terms else false()


@dataclass(frozen=True)
class Repeat:
    earlier: Complaint
    reason: str  # caller | subject | caller_and_subject


async def earlier_item(
    session: AsyncSession, keys: Keys, county: str, received_at: dt.datetime, window_days: int
) -> Repeat | None:
    """The most recent item of `county` before `received_at` within the window that shares the caller or the
    subject."""
    by_caller, by_subject = keys.caller_match(), keys.subject_match()
    stmt = (
        select(Complaint, by_caller.label("same_caller"), by_subject.label("same_subject"))
        .where(
            or_(by_caller, by_subject),
            Complaint.region_code.startswith(county, autoescape=True),
            Complaint.received_at <= received_at,
            Complaint.received_at >= received_at - dt.timedelta(days=window_days),
        )
        .order_by(Complaint.received_at.desc(), Complaint.created_at.desc())
        .limit(1)
    )
    row = (await session.execute(stmt)).first()
    if row is None:
        return None
    earlier, same_caller, same_subject = row
    reason = "caller_and_subject" if same_caller and same_subject else "caller" if same_caller else "subject"
    return Repeat(earlier, reason)
