"""Staff API of deaths staff learn of: `POST /api/v1/casework/households/{household_id}/deaths` (DOMAIN.md §4, §5)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from libs.contracts.staff import StaffRole
from libs.kernel.audit_note import note
from libs.kernel.auth import Principal, require_roles
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from services.casework.case import deaths
from services.casework.case.errors import DeathInFuture, HouseholdClosed, NotAMember
from services.casework.context import CaseworkCtx
from services.casework.registry.errors import HouseholdNotFound

router = APIRouter(prefix="/api/v1/casework/households", tags=["households"])

# The village assistant who hears of it, the township on its home visit, or the county.
Recorder = Annotated[
    Principal,
    Depends(require_roles(StaffRole.village_assistant, StaffRole.township_officer, StaffRole.county_officer)),
]
HouseholdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.post(
    "/{household_id}/deaths",
    response_model=deaths.DeathOut,
    status_code=201,
    responses={
        200: {"description": "The death is already under review: its case, nothing published again"},
        **documented(*ACCESS_REFUSALS, HouseholdNotFound, HouseholdClosed, NotAMember, DeathInFuture),
    },
)
async def record_death(
    household_id: HouseholdPath,
    body: deaths.DeathIn,
    response: Response,
    session: DbSession,
    ctx: CaseworkCtx,
    who: Recorder,
) -> deaths.DeathOut:
    """A member died, as the village reported or a home visit found: payment is held from the month after the death
    (as for a registry death) and the household's death review opens. A wrong record is released as a false match
    is (disbursement's `POST /holds/{hold_id}/release`) and the review decided accordingly."""
    case, created = await deaths.record(session, ctx, who, household_id, body)
    if not created:
        response.status_code = 200
    note(response, "death.recorded", f"household/{household_id}")
    return deaths.DeathOut(
        household_id=household_id,
        death_date=body.death_date,
        source=body.source.value,
        case_id=case.id,
        created=created,
        recorded_at=ctx.now(),
    )
