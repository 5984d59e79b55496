"""Admin API of the local figures: `/api/v1/casework/standards` (DOMAIN.md §12: per region prefix and effective
date, the most specific prefix in force wins, figure by figure)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from libs.contracts.clock import business_date
from libs.contracts.dates import CivilDate
from libs.kernel.auth import ensure_jurisdiction, jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.context import CaseworkCtx
from services.casework.dependencies import Admin, Reader
from services.casework.local_figures import repository
from services.casework.local_figures.errors import FigureExists, InvalidFigure
from services.casework.local_figures.figures import FIGURE_NAMES
from services.casework.local_figures.repository import figure_rows_in_force
from services.casework.local_figures.schemas import (
    FigureInForce,
    FigureRowOut,
    FiguresAdded,
    StandardsIn,
    StandardsInForce,
    api_name,
    read_figures,
    shown_value,
    stored_name,
)
from services.casework.local_figures.views import figure_row_out

router = APIRouter(prefix="/api/v1/casework/standards", tags=["standards"])

_ERRORS = documented(
    *ACCESS_REFUSALS,
    FigureExists,
    InvalidFigure,
    notes={
        409: "Rows are kept: set the figure from another date",
        422: "Invalid input; `errors` names each figure (`invalid_figure`) or field",
    },
)
_PREFIX = r"^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})$"


@router.post("", response_model=FiguresAdded, status_code=201, responses=_ERRORS)
async def add_figures(body: StandardsIn, session: DbSession, ctx: CaseworkCtx, who: Admin) -> FiguresAdded:
    """Set figures of a region prefix from a date: county officers inside their county, administrators anywhere
    (the national row is `""`). All figures are stored, or none."""
    # A prefix wider than the caller's jurisdiction (the city, the nation) is outside it: 403.
    ensure_jurisdiction(who, body.region_prefix)
    values = read_figures(body.figures)
    added = await repository.add_new(session, body.region_prefix, body.effective_from, values, who.subject, ctx.now())
    if len(added) < len(values):
        # Raising rolls the request's transaction back: the figures that did go in are not kept either.
        taken = sorted(api_name(n) for n in set(values) - {r.name for r in added})
        raise FigureExists(
            f"{', '.join(taken)} already set for {body.region_prefix or 'the nation'} from {body.effective_from}; "
            "figures are kept, so set them from another date",
            figures=taken,
        )
    return FiguresAdded(items=[figure_row_out(r) for r in sorted(added, key=lambda r: r.name)])


@router.get("/in-force", response_model=StandardsInForce, responses=_ERRORS)
async def in_force(
    session: DbSession,
    ctx: CaseworkCtx,
    who: Reader,
    region_code: Annotated[str, Query(pattern=_PREFIX)],
    on: CivilDate | None = None,
) -> StandardsInForce:
    """Every figure that applies to `region_code` on `on` (default today), with the row it comes from."""
    ensure_jurisdiction(who, region_code)
    day = on or business_date(ctx.now())
    found = {row.name: row for row in await figure_rows_in_force(session, region_code, day)}
    figures: dict[str, FigureInForce] = {}
    for name in FIGURE_NAMES:
        row = found.get(name)
        figures[api_name(name)] = (
            FigureInForce(value=None, region_prefix=None, effective_from=None)
            if row is None
            else FigureInForce(
                value=shown_value(name, row.value), region_prefix=row.region_prefix, effective_from=row.effective_from
            )
        )
    return StandardsInForce(region_code=region_code, on=day, figures=figures)


@router.get("", response_model=Page[FigureRowOut], responses=_ERRORS)
async def list_figures(
    session: DbSession,
    who: Reader,
    region_prefix: Annotated[str | None, Query(pattern=_PREFIX)] = None,
    name: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[FigureRowOut]:
    """Rows set inside your jurisdiction (or inside `region_prefix`), plus the wider rows that apply to it (its
    province's, the national), by prefix, date and figure."""
    scope = jurisdiction_prefix(who, region_prefix)
    stored = None
    if name is not None:
        stored = stored_name(name)
        if stored is None:
            raise InvalidFigure(
                f"{name} is not a figure of the standards",
                errors=[{"loc": ["query", "name"], "msg": "is not a figure of the standards"}],
            )
    after = decode_keyset(cursor, tuple[str, dt.date, str])
    rows = await repository.search(session, scope, stored, after, limit)
    return page_of(
        rows, limit, key=lambda r: (r.region_prefix, r.effective_from.isoformat(), r.name), item=figure_row_out
    )
