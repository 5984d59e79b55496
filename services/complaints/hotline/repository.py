"""A hotline platform's own work orders."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.lookup import found_within
from services.complaints.hotline.errors import WorkOrderNotFound
from services.complaints.register.models import Complaint


async def work_order_of(session: AsyncSession, who: Principal, work_order_no: str, *, lock: bool = False) -> Complaint:
    """The calling platform's own work order under this number: another platform's is not looked at (CONTRACTS.md §2:
    nothing about one platform's orders, not even their existence, is shown to another)."""
    stmt = select(Complaint).where(Complaint.client_id == who.subject, Complaint.work_order_no == work_order_no)
    item = (await session.execute(stmt.with_for_update() if lock else stmt)).scalar_one_or_none()
    return found_within(who, item, WorkOrderNotFound(f"You posted no work order {work_order_no}"))
