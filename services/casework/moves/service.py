"""Moving a recipient household (issue 21): requested by the township or county it lives in, accepted or refused by
the receiving county when it crosses a county line, applied from its effective month.

The county moved from pays every month before the effective month and the receiving county every month from it: a
move between counties changes the household's region (and so the roster that pays it, in disbursement) only when
its month begins, by the `moves` job, or at once when accepted in or after that month. Within a county the same
county pays before and after, so the region changes at once. Applying publishes `household-changed`
(`region_changed`); reviews in progress and the review date go with the household. Where the figures moved to
differ, every active amount is recalculated under them from the effective month (`moves.recalculation`) and published
as `entitlement-changed`; one they cannot recalculate is left as it was and the move lists its program for review.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import structlog
from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.contracts.events.casework import HouseholdChange, HouseholdChangeKind
from libs.contracts.period import Period
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.pagination import keyset_page
from services.casework.case.errors import HouseholdClosed
from services.casework.case.models import Case
from services.casework.case.recusal import ensure_not_recused
from services.casework.case.rules import OPEN_STATUSES
from services.casework.context import Casework
from services.casework.moves import recalculation
from services.casework.moves.errors import (
    HouseholdCaseOpen,
    MoveDecided,
    MoveMonthOutOfRange,
    MoveNotFound,
    MovePending,
    MoveToSamePlace,
)
from services.casework.moves.models import HouseholdMove
from services.casework.moves.rules import OPEN, MoveScope, MoveStatus, month_allowed, scope_of, takes_effect_now
from services.casework.moves.schemas import AcceptIn, MoveIn, RefuseIn
from services.casework.registry import service as registry
from services.casework.registry.errors import HouseholdNotFound
from services.casework.registry.models import Household, HouseholdStatus

_log = structlog.get_logger("casework.moves")


def _this_month(ctx: Casework) -> Period:
    return Period.of(business_date(ctx.now()))


async def _household(session: AsyncSession, household_id: str) -> Household:
    household = await session.get(Household, household_id, with_for_update=True)
    if household is None:
        raise HouseholdNotFound(f"No household {household_id}")
    return household


async def _ensure_movable(session: AsyncSession, household: Household) -> None:
    if household.status != HouseholdStatus.ACTIVE:
        raise HouseholdClosed("The household is no longer a recipient household")
    stmt = select(Case.id).where(Case.household_id == household.id, Case.status.in_(OPEN_STATUSES)).limit(1)
    case_id = await session.scalar(stmt)
    if case_id is not None:
        # A case is decided where it was investigated: the move waits for it.
        raise HouseholdCaseOpen("The household has a case in progress: decide it first", case_id=case_id)


async def request(
    session: AsyncSession, ctx: Casework, who: Principal, household_id: str, body: MoveIn
) -> HouseholdMove:
    household = await _household(session, household_id)
    ensure_jurisdiction(who, household.region_code)
    await ensure_not_recused(session, who, household_id=household.id)
    if body.to_village_code == household.region_code:
        raise MoveToSamePlace(
            "The household already lives in this village",
            errors=[{"loc": ["body", "to_village_code"], "msg": "the household's own village"}],
        )
    this_month = _this_month(ctx)
    month = Period.parse(body.effective_month) if body.effective_month else this_month + 1
    if not month_allowed(month, this_month):
        raise MoveMonthOutOfRange(
            f"A move takes effect from {this_month} to {this_month + 12}",
            errors=[{"loc": ["body", "effective_month"], "msg": f"from {this_month} to {this_month + 12}"}],
        )
    waiting = await session.scalar(
        select(HouseholdMove.id).where(HouseholdMove.household_id == household.id, HouseholdMove.status.in_(OPEN))
    )
    if waiting is not None:
        raise MovePending("The household has a move awaiting acceptance or its month", move_id=waiting)
    await _ensure_movable(session, household)
    now = ctx.now()
    move = HouseholdMove(
        id=f"move-{uuid.uuid4()}",
        household_id=household.id,
        from_region_code=household.region_code,
        to_region_code=body.to_village_code,
        scope=scope_of(household.region_code, body.to_village_code),
        effective_month=str(month),
        reason=body.reason,
        status=MoveStatus.PENDING,
        requested_by=who.subject,
        requested_at=now,
    )
    session.add(move)
    if move.scope != MoveScope.COUNTY:
        # Within the county nobody else accepts: the county moved from is the county moved to.
        move.status, move.decided_by, move.decided_at = MoveStatus.ACCEPTED, who.subject, now
        await apply(session, ctx, household, move)
    await session.flush()
    _log.info("move.requested", move_id=move.id, household_id=household.id, scope=move.scope)
    return move


async def load(session: AsyncSession, who: Principal, move_id: str, *, lock: bool = False) -> HouseholdMove:
    move = await session.get(HouseholdMove, move_id, with_for_update=lock)
    # Seen by the county moved from and the county moved to; to anyone else there is no such move.
    if move is None or not (who.covers(move.from_region_code) or who.covers(move.to_region_code)):
        raise MoveNotFound(f"No move {move_id}")
    return move


async def _decidable(session: AsyncSession, who: Principal, move_id: str) -> tuple[HouseholdMove, Household]:
    move = await load(session, who, move_id, lock=True)
    # The receiving county decides, not the county the household leaves.
    ensure_jurisdiction(who, move.to_region_code)
    if move.status != MoveStatus.PENDING:
        raise MoveDecided(f"The move is {move.status}", move_status=move.status)
    household = await _household(session, move.household_id)
    await ensure_not_recused(session, who, household_id=household.id)
    return move, household


async def accept(session: AsyncSession, ctx: Casework, who: Principal, move_id: str, body: AcceptIn) -> HouseholdMove:
    move, household = await _decidable(session, who, move_id)
    await _ensure_movable(session, household)
    move.status, move.decided_by, move.decided_at = MoveStatus.ACCEPTED, who.subject, ctx.now()
    move.decision_reason = body.note or None
    if takes_effect_now(MoveScope(move.scope), Period.parse(move.effective_month), _this_month(ctx)):
        await apply(session, ctx, household, move)
    return move


async def refuse(session: AsyncSession, ctx: Casework, who: Principal, move_id: str, body: RefuseIn) -> HouseholdMove:
    move, _ = await _decidable(session, who, move_id)
    move.status, move.decided_by, move.decided_at = MoveStatus.REFUSED, who.subject, ctx.now()
    move.decision_reason = body.reason
    return move


async def apply(session: AsyncSession, ctx: Casework, household: Household, move: HouseholdMove) -> None:
    """The household's region becomes the village moved to; its reviews in progress go with it; its amounts are
    recalculated under the figures in force there in the move's month."""
    if household.status != HouseholdStatus.ACTIVE:
        move.status = MoveStatus.LAPSED
        return
    before, month = household.region_code, Period.parse(move.effective_month)
    held = await recalculation.held_before(session, ctx, household.id, before, month)
    household.region_code = move.to_region_code
    await session.execute(
        update(Case)
        .where(Case.household_id == household.id, Case.status.in_(OPEN_STATUSES))
        .values(region_code=move.to_region_code)
    )
    move.status, move.applied_at = MoveStatus.APPLIED, ctx.now()
    detail = f"迁移 {before} → {move.to_region_code} from {move.effective_month}"
    change = HouseholdChange(kind=HouseholdChangeKind.REGION_CHANGED, detail=detail)
    await registry.record_version(session, ctx, household, [change], case_id=None)
    # Then its amounts under the figures of where it now lives, from the move's month (a version of their own).
    move.left_for_review = await recalculation.recalculate_moved(session, ctx, held, before, move.to_region_code, month)


async def apply_due(session: AsyncSession, ctx: Casework) -> int:
    """Accepted moves between counties whose month has begun take effect (the worker's `moves` job)."""
    stmt = (
        select(HouseholdMove)
        .where(HouseholdMove.status == MoveStatus.ACCEPTED, HouseholdMove.effective_month <= str(_this_month(ctx)))
        .order_by(HouseholdMove.effective_month, HouseholdMove.id)
        .with_for_update(skip_locked=True)
        .limit(500)
    )
    moves = (await session.scalars(stmt)).all()
    for move in moves:
        await apply(session, ctx, await _household(session, move.household_id), move)
    return len(moves)


async def moves_of(session: AsyncSession, household_id: str) -> Sequence[HouseholdMove]:
    stmt = select(HouseholdMove).where(HouseholdMove.household_id == household_id)
    return (await session.scalars(stmt.order_by(HouseholdMove.requested_at, HouseholdMove.id))).all()


async def moves_in(
    session: AsyncSession,
    prefix: str,
    *,
    status: MoveStatus | None,
    after: tuple[dt.datetime, str] | None,
    limit: int,
) -> Sequence[HouseholdMove]:
    """Moves into or out of the area `prefix`, the oldest request first."""
    stmt = select(HouseholdMove).where(
        or_(
            func.starts_with(HouseholdMove.to_region_code, prefix),
            func.starts_with(HouseholdMove.from_region_code, prefix),
        )
    )
    if status is not None:
        stmt = stmt.where(HouseholdMove.status == status.value)
    stmt = keyset_page(stmt, (HouseholdMove.requested_at, HouseholdMove.id), after, limit)
    return (await session.scalars(stmt)).all()
