"""Raising a standard (提标, issue 20): `/api/v1/casework/standard-raises` — preview, confirm, follow."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Response

from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, FIELD_ERRORS, documented
from services.casework.context import CaseworkCtx
from services.casework.dependencies import County, CountyOrCity
from services.casework.raises import service
from services.casework.raises.errors import MonthOutOfRange, NoNewStandard, RaiseNotFound
from services.casework.raises.models import BatchStatus
from services.casework.raises.schemas import BatchOut, PreviewOut, RaiseIn
from services.casework.raises.views import batch_out

router = APIRouter(prefix="/api/v1/casework/standard-raises", tags=["standard-raises"])

_ERRORS = documented(*ACCESS_REFUSALS, RaiseNotFound, MonthOutOfRange, NoNewStandard, notes=FIELD_ERRORS)
BatchId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^raise-[0-9a-f-]{36}$")]


@router.post("/preview", response_model=PreviewOut, responses=_ERRORS)
async def preview(body: RaiseIn, session: DbSession, ctx: CaseworkCtx, who: CountyOrCity) -> PreviewOut:
    """What the raise would change, by program and township, and the marginal households to review for dibao: a
    simulation, nothing is written."""
    tally = await service.preview(session, ctx, who, body)
    return PreviewOut.of(body.county_code, body.effective_month, tally)


@router.post("", response_model=BatchOut, status_code=202, responses=_ERRORS)
async def confirm(
    body: RaiseIn, session: DbSession, ctx: CaseworkCtx, who: County, tasks: BackgroundTasks, response: Response
) -> BatchOut:
    """Confirm the raise: a batch recalculates every entitlement of the county from the month and publishes the
    changes. The same county, month and figures give the same batch (a repeat resumes it, never repeats it)."""
    batch = await service.confirm(session, ctx, who, body)
    if batch.status == BatchStatus.DONE:
        response.status_code = 200
    else:
        # Runs after the request's transaction committed the batch; the worker resumes it if this process stops.
        tasks.add_task(service.advance, ctx, batch.id)
    return batch_out(batch)


@router.get("/{batch_id}", response_model=BatchOut, responses=_ERRORS)
async def get(batch_id: BatchId, session: DbSession, who: CountyOrCity) -> BatchOut:
    """The batch's progress: households done of the total, entitlements changed, status."""
    return batch_out(await service.get(session, who, batch_id))
