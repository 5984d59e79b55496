"""The rows providers sent about people outside their region, for the staff of the people's region."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from libs.contracts.dates import Instant
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.matching.dependencies import Reader
from services.matching.outside_region import repository, views
from services.matching.outside_region.schemas import OutsideRegionRowOut
from services.matching.views import REGION_LIST

router = APIRouter(prefix="/api/v1/matching", tags=["outside region"])


@router.get(
    "/outside-region-rows",
    response_model=Page[OutsideRegionRowOut],
    responses=REGION_LIST,
)
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
    after = decode_keyset(cursor, tuple[Instant, int])
    rows = await repository.rows_page(session, prefix, source, after, limit)
    return page_of(rows, limit, key=lambda r: (r.recorded_at.isoformat(), r.id), item=views.row_out)
