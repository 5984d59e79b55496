"""The rows providers sent about people outside their region, for the staff of the people's region."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import func, select

from libs.contracts.dates import Instant
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.matching.dependencies import Reader
from services.matching.outside_region.models import OutsideRegionRow

router = APIRouter(prefix="/api/v1/matching", tags=["outside region"])


class OutsideRegionRowOut(BaseModel):
    feed_id: str
    source: str
    row: int
    client_id: str
    client_name: str | None
    provider_region: str | None
    region_code: str
    person_id_masked: str
    recorded_at: dt.datetime


def _out(row: OutsideRegionRow) -> OutsideRegionRowOut:
    return OutsideRegionRowOut(
        feed_id=row.feed_id,
        source=row.source,
        row=row.row_no,
        client_id=row.client_id,
        client_name=row.client_name,
        provider_region=row.provider_region,
        region_code=row.region_code,
        person_id_masked=row.id_masked,
        recorded_at=row.recorded_at,
    )


@router.get("/outside-region-rows", response_model=Page[OutsideRegionRowOut], responses={403: {}, 422: {}})
async def outside_region_rows(
    session: DbSession,
    who: Reader,
    region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="A region prefix")] = None,
    source: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[OutsideRegionRowOut]:
    """Rows a registry sent about people of the caller's jurisdiction (or of `region_code` in it) although the
    registry's own region does not cover them: refused, never matched. The latest first."""
    prefix = jurisdiction_prefix(who, region_code)
    stmt = select(OutsideRegionRow).where(OutsideRegionRow.region_code.startswith(prefix, autoescape=True))
    if source is not None:
        stmt = stmt.where(OutsideRegionRow.source == source)
    after = decode_keyset(cursor, tuple[Instant, int])
    if after is not None:
        stmt = stmt.where(func.row(OutsideRegionRow.recorded_at, OutsideRegionRow.id) < func.row(*after))
    stmt = stmt.order_by(OutsideRegionRow.recorded_at.desc(), OutsideRegionRow.id.desc()).limit(limit + 1)
    rows = list((await session.scalars(stmt)).all())
    return page_of(rows, limit, key=lambda r: (r.recorded_at.isoformat(), r.id), item=_out)
