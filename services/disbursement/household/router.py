"""A household's payment file, for staff (DOMAIN.md §11): what every module of disbursement holds on one household."""

from __future__ import annotations

from fastapi import APIRouter

from libs.kernel.db import DbSession
from services.disbursement.context import DisbursementCtx
from services.disbursement.dependencies import IdPath, Reader, problems
from services.disbursement.household import repository, views
from services.disbursement.household.schemas import HouseholdOut

# Tagged as it was when the ledger served it, so the published API reads the same.
router = APIRouter(prefix="/api/v1/disbursement", tags=["ledger"])
HouseholdId = IdPath


@router.get("/households/{household_id}", response_model=HouseholdOut, responses=problems(403, 404))
async def get_household(
    session: DbSession, ctx: DisbursementCtx, who: Reader, household_id: HouseholdId
) -> HouseholdOut:
    """The household's payment file: entitlements month by month (each in its status this month), holds, account,
    every line paid, recoveries."""
    return views.household_out(await repository.household_file(session, who, household_id), ctx.today())
