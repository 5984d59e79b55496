"""Moves of recipient households (issue 21): `POST /api/v1/casework/households/{id}/moves` by the township or county
the household lives in; the receiving county's acceptance or refusal under `/api/v1/casework/moves`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from libs.contracts.region import RegionCodeStr
from libs.kernel.audit_note import note
from libs.kernel.auth import jurisdiction_prefix
from libs.kernel.db import DbSession
from libs.kernel.errors import ACCESS_REFUSALS, documented
from libs.kernel.pagination import DEFAULT_LIMIT, Cursor, Limit, Page, decode_keyset, page_of
from services.casework.case.errors import HouseholdClosed, RecusalRequired
from services.casework.context import CaseworkCtx
from services.casework.dependencies import County, Officer, Reader
from services.casework.moves import errors, service
from services.casework.moves.rules import MoveStatus
from services.casework.moves.schemas import AcceptIn, MoveIn, MoveOut, RefuseIn
from services.casework.moves.views import move_out
from services.casework.registry.errors import HouseholdNotFound
from services.casework.registry.repository import visible_household

router = APIRouter(prefix="/api/v1/casework", tags=["moves"])

MoveId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^move-[0-9a-f-]{36}$")]
HouseholdId = Annotated[str, Path(min_length=1, max_length=128)]
# The receiving county decides: to the county the household leaves, a decision is outside its jurisdiction.
_ERRORS = documented(
    *ACCESS_REFUSALS,
    RecusalRequired,
    HouseholdNotFound,
    errors.MoveNotFound,
    HouseholdClosed,
    errors.HouseholdCaseOpen,
    errors.MovePending,
    errors.MoveDecided,
    errors.MoveToSamePlace,
    errors.MoveMonthOutOfRange,
    notes={422: "Malformed input; `errors` names each field"},
)


@router.post("/households/{household_id}/moves", response_model=MoveOut, status_code=201, responses=_ERRORS)
async def request_move(
    household_id: HouseholdId, body: MoveIn, response: Response, session: DbSession, ctx: CaseworkCtx, who: Officer
) -> MoveOut:
    """Move the household to another village (`to_village_code`) from `effective_month` (default next month).
    Within the county it applies at once; to another county it waits for that county's acceptance."""
    move = await service.request(session, ctx, who, household_id, body)
    note(response, "household.move_requested", f"household/{household_id}")
    return move_out(move)


@router.get("/households/{household_id}/moves", response_model=list[MoveOut], responses={403: {}, 404: {}})
async def household_moves(household_id: HouseholdId, session: DbSession, who: Reader) -> list[MoveOut]:
    """Every move of the household, the oldest first."""
    await visible_household(session, who, household_id)
    return [move_out(m) for m in await service.moves_of(session, household_id)]


@router.get("/moves", response_model=Page[MoveOut], responses={403: {}, 422: {}})
async def list_moves(
    session: DbSession,
    who: Reader,
    region_code: Annotated[RegionCodeStr | None, Query()] = None,
    status: MoveStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Page[MoveOut]:
    """Moves into or out of your jurisdiction, the oldest request first; `status=pending` is the receiving
    county's work list."""
    prefix = jurisdiction_prefix(who, region_code)
    after = decode_keyset(cursor, tuple[dt.datetime, str])
    rows = await service.moves_in(session, prefix, status=status, after=after, limit=limit)
    return page_of(rows, limit, lambda m: (m.requested_at.isoformat(), m.id), move_out)


@router.get("/moves/{move_id}", response_model=MoveOut, responses={404: {}, 422: {}})
async def get_move(move_id: MoveId, session: DbSession, who: Reader) -> MoveOut:
    """One move, seen by the county moved from and the county moved to."""
    return move_out(await service.load(session, who, move_id))


@router.post("/moves/{move_id}/acceptance", response_model=MoveOut, responses=_ERRORS)
async def accept_move(
    move_id: MoveId, body: AcceptIn, response: Response, session: DbSession, ctx: CaseworkCtx, who: County
) -> MoveOut:
    """The receiving county accepts: the household becomes its own from the effective month (at once if that month
    has begun), and its payments follow."""
    move = await service.accept(session, ctx, who, move_id, body)
    note(response, "household.move_accepted", f"household/{move.household_id}")
    return move_out(move)


@router.post("/moves/{move_id}/refusal", response_model=MoveOut, responses=_ERRORS)
async def refuse_move(
    move_id: MoveId, body: RefuseIn, response: Response, session: DbSession, ctx: CaseworkCtx, who: County
) -> MoveOut:
    """The receiving county refuses, with its reason: the household stays where it is."""
    move = await service.refuse(session, ctx, who, move_id, body)
    note(response, "household.move_refused", f"household/{move.household_id}")
    return move_out(move)
