"""Loading items for staff, always checked against the caller's jurisdiction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.errors import OutsideJurisdiction
from services.complaints.register.errors import ComplaintClosed, ComplaintNotFound, NotAssignedToYou
from services.complaints.register.models import Complaint
from services.complaints.register.rules import CLOSED


def covers(who: Principal, item: Complaint) -> bool:
    """Staff read an item of their region, or one assigned to a unit of theirs."""
    return who.covers(item.region_code) or who.covers(item.assigned_unit)


async def for_reading(session: AsyncSession, who: Principal, complaint_id: str) -> Complaint:
    item = await session.get(Complaint, complaint_id)
    if item is None:
        raise ComplaintNotFound(f"No complaint {complaint_id}")
    if not covers(who, item):
        raise OutsideJurisdiction(f"Complaint {complaint_id} is outside your jurisdiction")
    return item


async def for_handling(session: AsyncSession, who: Principal, complaint_id: str) -> Complaint:
    """The open item, locked for this transaction, if it is assigned inside the caller's jurisdiction."""
    stmt = select(Complaint).where(Complaint.id == complaint_id).with_for_update()
    item = (await session.execute(stmt)).scalar_one_or_none()
    if item is None:
        raise ComplaintNotFound(f"No complaint {complaint_id}")
    if not who.covers(item.assigned_unit):
        # Seeing an item is not handling it: a township answers only what is assigned to it.
        raise NotAssignedToYou(
            f"Complaint {complaint_id} is assigned to {item.assigned_unit}, outside your jurisdiction",
        )
    if item.status in CLOSED:
        raise ComplaintClosed(f"Complaint {complaint_id} is already {item.status}")
    return item
