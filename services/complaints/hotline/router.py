"""Partner API of the 12345 platform (CONTRACTS.md §2, scope `hotline`): work orders in, status and results out,
the platform's satisfaction follow-up, and the log of result pushes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from libs.kernel import receipts
from libs.kernel.db import DbSession
from libs.kernel.errors import OutsideJurisdiction, ScopeRequired
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.complaints.context import ComplaintsCtx
from services.complaints.dependencies import Hotline
from services.complaints.hotline import service
from services.complaints.hotline.errors import RawTooLarge, WorkOrderConflict, WorkOrderTooLarge
from services.complaints.hotline.repository import work_order_of
from services.complaints.hotline.schemas import SatisfactionIn, WorkOrderIn, WorkOrderNo, WorkOrderReceived
from services.complaints.push import repository as push_repository
from services.complaints.push.schemas import DeliveryOut
from services.complaints.push.views import delivery_outs
from services.complaints.register.handling import record_satisfaction
from services.complaints.register.schemas import WorkOrderOut
from services.complaints.register.views import work_order

router = APIRouter(prefix="/api/v1/hotline", tags=["hotline"])
NumberPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


@router.post(
    "/work-orders",
    response_model=WorkOrderReceived,
    status_code=201,
    responses=receipts.responses(
        "work order",
        OutsideJurisdiction,
        ScopeRequired,
        WorkOrderConflict,
        RawTooLarge,
        WorkOrderTooLarge,
        notes={422: "Invalid work order"},
    ),
)
async def post_work_order(
    body: WorkOrderIn, request: Request, response: Response, session: DbSession, ctx: ComplaintsCtx, who: Hotline
) -> WorkOrderReceived:
    """Log a work order in the ledger: assigned to the township of its region, due by `due_at` (else the region's
    working days), linked to an earlier item of the same caller or subject."""
    return receipts.answered(response, await service.receive(session, ctx, who, body, await request.body()))


@router.get("/work-orders/{work_order_no}", response_model=WorkOrderOut, responses={403: {}, 404: {}})
async def get_work_order(session: DbSession, who: Hotline, work_order_no: NumberPath) -> WorkOrderOut:
    """Status, result (once resolved or returned) and history of a work order."""
    return await work_order(session, await work_order_of(session, who, work_order_no))


@router.post(
    "/work-orders/{work_order_no}/satisfaction",
    response_model=WorkOrderOut,
    responses={403: {}, 404: {}, 409: {"description": "The work order is not answered yet"}},
)
async def post_satisfaction(
    body: SatisfactionIn, session: DbSession, ctx: ComplaintsCtx, who: Hotline, work_order_no: NumberPath
) -> WorkOrderOut:
    """The caller's satisfaction from the platform's follow-up call (回访); a later survey replaces an earlier one."""
    item = await work_order_of(session, who, work_order_no, lock=True)
    record_satisfaction(ctx, item, body.satisfaction, body.note, body.surveyed_at)
    return await work_order(session, item)


@router.get("/deliveries", response_model=Page[DeliveryOut], responses={403: {}, 404: {}})
async def list_deliveries(
    session: DbSession,
    who: Hotline,
    work_order_no: Annotated[WorkOrderNo | None, Query()] = None,
    state: Literal["pending", "delivered"] | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[DeliveryOut]:
    """Result pushes to this client, oldest first, each with every attempt (HTTP status or error, duration)."""
    item = None if work_order_no is None else await work_order_of(session, who, work_order_no)
    after = decode_keyset(cursor, tuple[dt.datetime, str])
    rows = await push_repository.deliveries_to(
        session, who.subject, None if item is None else item.id, state, after, limit + 1
    )
    outs = await delivery_outs(session, rows)
    return page_of(outs, limit, lambda d: (d.created_at.isoformat(), d.delivery_id), lambda d: d)
