"""What complaints tells the other services (CONTRACTS.md §6), written to the outbox in the item's transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.base import PersonRef
from libs.contracts.events.complaints import ComplaintSubstantiated, Contact, HelpRequested
from libs.kernel.presenters import from_row
from services.complaints.context import ID_NUMBER_CONTEXT, Complaints
from services.complaints.register.models import Complaint
from services.complaints.register.schemas import CallerIn, SubjectIn

ANONYMOUS_CONTACT = "匿名求助人"


async def help_requested(
    session: AsyncSession, ctx: Complaints, item: Complaint, caller: CallerIn, subject: SubjectIn | None
) -> None:
    """A request for help becomes the township's lead (DOMAIN.md §6, §8). The person in need is the subject when
    the caller names one, else the caller; an anonymous caller's own name and phone never leave this service."""
    if subject is not None and subject.name:
        person = from_row(Contact, subject)
    elif not caller.anonymous and caller.name:
        person = from_row(Contact, caller)
    else:
        person = Contact(name=ANONYMOUS_CONTACT)
    need = f"{item.title}：{item.content}"[:4000]
    payload = from_row(
        HelpRequested, item, complaint_id=item.id, person=person, need=need, requested_at=item.received_at
    )
    await ctx.publish(session, payload, subject=f"complaint/{item.id}", key=item.id)


async def substantiated(session: AsyncSession, ctx: Complaints, item: Complaint) -> None:
    """An upheld item about a household or person: casework opens a review (DOMAIN.md §4, §6). The identity number
    goes along only because casework finds the household by it when no household id is known."""
    person = None
    if item.subject_id_sealed is not None:
        person = PersonRef(
            id_number=ctx.open(item.subject_id_sealed, ID_NUMBER_CONTEXT), name=item.subject_name or "（未知）"
        )
    assert item.finding is not None
    assert item.handled_at is not None
    # The item's number, region and finding as they are; the category is the issue when staff named one.
    payload = from_row(
        ComplaintSubstantiated,
        item,
        complaint_id=item.id,
        household_id=item.subject_household_id,
        person=person,
        category=item.issue or item.category,
        summary=(item.reply or "")[:2000],
        substantiated_at=item.handled_at,
    )
    key = item.subject_household_id or item.subject_id_hash or item.id
    subject = f"household/{item.subject_household_id}" if item.subject_household_id else f"complaint/{item.id}"
    await ctx.publish(session, payload, subject=subject, key=key)
