"""Partner API: `POST /api/v1/province/warnings` (scope `province`, CONTRACTS.md §4)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from libs.kernel import receipts
from libs.kernel.db import DbSession
from libs.kernel.errors import OutsideJurisdiction, ScopeRequired
from services.intake.context import IntakeCtx
from services.intake.dependencies import Province
from services.intake.warning import service
from services.intake.warning.errors import WarningIdReused
from services.intake.warning.schemas import WarningAccepted, WarningIn

router = APIRouter(prefix="/api/v1/province/warnings", tags=["province"])


@router.post(
    "",
    response_model=WarningAccepted,
    status_code=202,
    responses=receipts.responses(
        "warning", OutsideJurisdiction, ScopeRequired, WarningIdReused, notes={422: "Invalid warning"}
    ),
)
async def receive_warning(
    body: WarningIn, response: Response, session: DbSession, ctx: IntakeCtx, client: Province
) -> WarningAccepted:
    """A monitoring warning: a review request for a current recipient, otherwise a lead for the township."""
    return receipts.answered(response, await service.receive(session, ctx, client, body))
