"""Administration of hotline platforms' callbacks: `/api/v1/complaints/hotline-platforms` (CONTRACTS.md §2: the
callback URL is configured per client, and pushes are signed with the client's secret; who may set it, and which URLs
may be called: platforms.py), and the pushes of one item's result: `/api/v1/complaints/{id}/deliveries`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from libs.kernel.db import DbSession
from services.complaints.context import ComplaintsCtx
from services.complaints.dependencies import Admin, Reader
from services.complaints.push import platforms, repository
from services.complaints.push.schemas import DeliveryOut, PlatformIn, PlatformOut
from services.complaints.push.views import delivery_outs, platform_out
from services.complaints.register import repository as register

router = APIRouter(prefix="/api/v1/complaints/hotline-platforms", tags=["hotline platforms"])
# Staff read an item's pushes beside the item, under the ledger's path.
item_router = APIRouter(prefix="/api/v1/complaints", tags=["complaints"])
ClientId = Annotated[str, Path(min_length=1, max_length=64)]
ComplaintId = Annotated[str, Path(min_length=1, max_length=64)]


@router.put(
    "/{client_id}",
    response_model=PlatformOut,
    responses={
        403: {"description": "Not a system_admin, or the platform's region is outside your jurisdiction"},
        422: {"description": "Invalid body, or callback_url_refused: the URL may not be called"},
    },
)
async def put_platform(
    client_id: ClientId, body: PlatformIn, session: DbSession, ctx: ComplaintsCtx, admin: Admin
) -> PlatformOut:
    """Register (or change) where a hotline client's results go; results waiting for it are tried at once."""
    return platform_out(await platforms.register(session, ctx, admin, client_id, body))


@router.get("", response_model=list[PlatformOut], responses={403: {}})
async def list_platforms(session: DbSession, admin: Admin) -> list[PlatformOut]:
    """The callbacks of the platforms inside your jurisdiction (never the secrets); those of unknown region only to
    the whole country's administrator."""
    return [platform_out(p) for p in await repository.platforms_within(session, admin.region_prefix)]


@item_router.get("/{complaint_id}/deliveries", response_model=list[DeliveryOut], responses={403: {}, 404: {}})
async def deliveries(complaint_id: ComplaintId, session: DbSession, who: Reader) -> list[DeliveryOut]:
    """The pushes of this work order's result to its platform, with every attempt."""
    item = await register.for_reading(session, who, complaint_id)
    if item.work_order_no is None:
        return []
    return await delivery_outs(session, await repository.deliveries_of(session, item.id))
