"""The province's pull of current recipients (`/api/v1/province/recipients`, scope `province`, CONTRACTS.md §4)
and the operators' log of what was pushed to it (`/api/v1/casework/province-changes`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from libs.contracts.dates import Instant
from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import OutsideJurisdiction, RoleRequired, ScopeRequired, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.context import CaseworkCtx
from services.casework.dependencies import Admin, Province
from services.casework.province import service
from services.casework.province.schemas import ChangeStatus, ProvinceChangeOut, RecipientItem, UpdatedSince

router = APIRouter(tags=["province"])

RegionCode = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="A region code or prefix")]


@router.get(
    "/api/v1/province/recipients",
    response_model=Page[RecipientItem],
    responses=documented(
        ScopeRequired, OutsideJurisdiction, notes={422: "Invalid region_code, updated_since, cursor or limit"}
    ),
)
async def list_recipients(
    response: Response,
    session: DbSession,
    ctx: CaseworkCtx,
    client: Province,
    region_code: RegionCode = None,
    updated_since: Annotated[UpdatedSince | None, Query(description="ISO 8601 with an offset; inclusive")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[RecipientItem]:
    """Current recipient households (closed ones included) in (updated_at, household_id) order."""
    prefix = jurisdiction_prefix(client, region_code)
    after = decode_keyset(cursor, tuple[Instant, str])
    note(response, "id_numbers.exported", f"region/{prefix}")  # members' identity numbers, in full
    states = await service.recipients(session, ctx, prefix, updated_since, after, limit)
    return page_of(states, limit, key=lambda s: (s.updated_at.isoformat(), s.household_id), item=service.recipient)


@router.get(
    "/api/v1/casework/province-changes",
    response_model=Page[ProvinceChangeOut],
    responses=documented(
        RoleRequired, OutsideJurisdiction, notes={422: "Invalid status, region_code, cursor or limit"}
    ),
)
async def list_changes(
    session: DbSession,
    who: Admin,
    status: ChangeStatus = ChangeStatus.PENDING,
    region_code: RegionCode = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[ProvinceChangeOut]:
    """The delivery log of the provincial push: pending changes oldest first, delivered ones newest first."""
    prefix = jurisdiction_prefix(who, region_code)
    keyset = decode_keyset(cursor, tuple[int])
    rows = await service.changes(session, prefix, status, keyset[0] if keyset else None, limit)
    return page_of(rows, limit, key=lambda r: (r.id,), item=ProvinceChangeOut.model_validate)
