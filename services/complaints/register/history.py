"""The status history of an item (CONTRACTS.md §2 `history`): every change, with a note the caller may read."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from services.complaints.register.models import Complaint, StatusChange
from services.complaints.register.rules import Status


def record_status(session: AsyncSession, item: Complaint, status: Status, at: dt.datetime, note: str, by: str) -> None:
    item.status = status.value
    session.add(StatusChange(complaint_id=item.id, status=status.value, at=at, note=note[:2000], by=by))
