"""Deaths from any source (DOMAIN.md §4, §5): the stop month of a death review, and deaths staff record.

A death reported by the village or found on a home visit is the same fact as one a registry feed reports: it
opens the same review (keyed by the person and the household) and goes out as the same `death-detected`, so
disbursement holds payment at once, and a wrong one is released the way a false registry match is (disbursement's
hold release). Whichever source comes first opens the review; the other finds it and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, JsonValue, StringConstraints
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.dates import CivilDate
from libs.contracts.events.base import PersonRef
from libs.contracts.events.casework import CaseOutcome
from libs.contracts.events.matching import DeathDetected
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Input
from libs.contracts.period import Period
from libs.contracts.text import CleanText
from libs.kernel.auth import Principal
from services.casework.case.content import CaseContent
from services.casework.case.errors import DeathInFuture, HouseholdClosed, NotAMember, StopBeforeDeath
from services.casework.case.models import Case
from services.casework.case.opening import open_triggered
from services.casework.case.rules import Trigger
from services.casework.context import Casework
from services.casework.registry.models import Household, HouseholdStatus
from services.casework.registry.repository import visible_household
from services.casework.registry.state import load_state


class StaffSource(StrEnum):
    # The `source` of the `death-detected` a staff record publishes, beside the registry feeds' (CONTRACTS.md §5).
    VILLAGE_REPORT = "village_report"
    HOME_VISIT = "home_visit"


class DeathIn(Input):
    """A member's death as staff learned it: from the village (村报) or on a home visit (入户)."""

    id_number: IdNumberStr
    death_date: CivilDate
    source: StaffSource
    note: Annotated[CleanText, StringConstraints(max_length=2000)] = ""


class DeathOut(BaseModel):
    household_id: str
    death_date: dt.date
    source: str
    # The death review of the household: opened by this record, or already open for the same death.
    case_id: str
    created: bool
    recorded_at: AwareDatetime


def death_review_ref(person_hash: str, household_id: str) -> str:
    """The trigger reference of a death review: the same death from any source is one case per household."""
    return f"{person_hash}:{household_id}"


def death_date_of(case: Case, content: CaseContent) -> dt.date | None:
    """The death a death review was opened for (the trigger detail every source writes), else None."""
    if case.trigger != Trigger.DEATH or not content.trigger:
        return None
    raw = content.trigger.get("death_date")
    return dt.date.fromisoformat(raw) if isinstance(raw, str) else None


def stop_month(case: Case, content: CaseContent, outcome: CaseOutcome, chosen: str | None) -> str | None:
    """The effective month a proposal keeps: a stop for a death takes the month after the death unless a later one
    is chosen, and never an earlier one (disbursement holds from that month, and the two records must agree)."""
    died = death_date_of(case, content)
    if outcome is not CaseOutcome.STOPPED or died is None:
        return chosen
    earliest = Period.of(died).next()
    if chosen is None:
        return str(earliest)
    if Period.parse(chosen) < earliest:
        raise StopBeforeDeath(
            f"The death was on {died.isoformat()}: a stop takes effect from {earliest} at the earliest",
            errors=[{"loc": ["body", "effective_month"], "msg": f"must be {earliest} or later"}],
        )
    return chosen


async def record(
    session: AsyncSession, ctx: Casework, who: Principal, household_id: str, body: DeathIn
) -> tuple[Case, bool]:
    """Open (or find) the household's death review and publish `death-detected`, in one transaction."""
    household: Household = await visible_household(session, who, household_id)
    now = ctx.now()
    if body.death_date > business_date(now):
        raise DeathInFuture(
            f"The death date {body.death_date.isoformat()} is after today",
            errors=[{"loc": ["body", "death_date"], "msg": "must not lie in the future"}],
        )
    if household.status != HouseholdStatus.ACTIVE:
        raise HouseholdClosed(f"Household {household_id} is closed")
    state = await load_state(session, ctx, household)
    member = next((m for m in state.members if m.id_number == body.id_number), None)
    if member is None:
        raise NotAMember("id_number names someone who is not a member of the household")
    person = ctx.hash(body.id_number)
    detail: dict[str, JsonValue] = {
        "deceased_id_number": body.id_number,
        "death_date": body.death_date.isoformat(),
        "source": body.source.value,
        "recorded_by": who.subject,
        "note": body.note,
    }
    case, created = await open_triggered(
        session,
        ctx,
        household_id=household.id,
        trigger=Trigger.DEATH,
        trigger_ref=death_review_ref(person, household.id),
        summary=f"死亡 death on {body.death_date.isoformat()} ({body.source.value})",
        actor=who.subject,
        detail=detail,
    )
    if created:
        # Only a new fact goes out: a death casework already reviews came as `death-detected` (from a registry or
        # an earlier record), which disbursement holds on already. The note stays in the sealed case.
        await ctx.publish(
            session,
            DeathDetected(
                person=PersonRef(id_number=member.id_number, name=member.name),
                death_date=body.death_date,
                source=body.source.value,
                feed_id=f"casework:{case.id}",
                household_ids=(household.id,),
                detected_at=now,
            ),
            subject=f"household/{household.id}",
            key=household.id,
        )
    return case, created
