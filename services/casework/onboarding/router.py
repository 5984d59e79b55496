"""Registering the households a county already pays: `POST /api/v1/casework/households/import`."""

from __future__ import annotations

from fastapi import APIRouter

from libs.kernel.db import DbSession
from services.casework.context import CaseworkCtx
from services.casework.dependencies import County
from services.casework.onboarding import imports
from services.casework.onboarding.imports import HouseholdImport
from services.casework.registry import views
from services.casework.registry.schemas import HouseholdOut
from services.casework.registry.state import load_state

router = APIRouter(prefix="/api/v1/casework", tags=["households"])


@router.post("/households/import", response_model=HouseholdOut, status_code=201, responses={403: {}, 409: {}, 422: {}})
async def import_household(body: HouseholdImport, session: DbSession, ctx: CaseworkCtx, who: County) -> HouseholdOut:
    """Register a household the county already pays (from its old records), with its programs and amounts."""
    household = await imports.import_household(session, ctx, who, body)
    return views.household_out(await load_state(session, ctx, household))
