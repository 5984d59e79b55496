"""Holds a county places and releases by hand (暂停发放, DOMAIN.md §9), with the checks a staff action needs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal, ensure_jurisdiction
from services.disbursement.context import Disbursement
from services.disbursement.entitlements import holds
from services.disbursement.entitlements.access import household_entitlements
from services.disbursement.entitlements.counties import touch
from services.disbursement.entitlements.models import Death, Hold, HoldKind
from services.disbursement.ledger.errors import AccountHold, AlreadyHeld, AmountHold, HoldReleased, NotEntitled
from services.disbursement.ledger.schemas import HoldIn
from services.disbursement.ledger.service import recompute_person


async def suspend(session: AsyncSession, ctx: Disbursement, who: Principal, body: HoldIn) -> Hold:
    """A county suspends a household's payments (all programs, or one) while it checks something."""
    ents = await household_entitlements(session, who, body.household_id)
    for e in ents:
        ensure_jurisdiction(who, e.region_code)
    program = body.program.value if body.program else None
    if program is not None and all(e.program != program for e in ents):
        raise NotEntitled(f"Household {body.household_id} has no {program} entitlement")
    existing = [h for h in await holds.active(session, body.household_id, HoldKind.SUSPENSION) if h.program == program]
    if existing:
        raise AlreadyHeld(f"Household {body.household_id} is already suspended", hold_id=existing[0].id)
    hold = await holds.ensure(
        session,
        ctx,
        household_id=body.household_id,
        county_code=ents[0].county_code,
        kind=HoldKind.SUSPENSION,
        reason=body.reason,
        by=who.subject,
        program=program,
    )
    await touch(session, ctx, {e.county_code for e in ents})
    return hold


async def release(session: AsyncSession, ctx: Disbursement, who: Principal, hold: Hold, reason: str) -> None:
    """Ends a suspension, or a death hold found to be a false match (the months after it are paid as arrears); an
    account hold ends with the account fixed, an amount hold with an amount the program can pay."""
    ents = await household_entitlements(session, who, hold.household_id)
    if hold.released_at is not None:
        raise HoldReleased(f"Hold {hold.id} was released on {hold.released_at.isoformat()}")
    if hold.kind == HoldKind.ACCOUNT.value:
        raise AccountHold("An account hold ends when the account is fixed")
    if hold.kind == HoldKind.AMOUNT.value:
        raise AmountHold("An amount hold ends when casework sends an amount the program can pay")
    await holds.release(session, ctx, hold, by=who.subject, reason=reason)
    if hold.kind == HoldKind.DEATH.value and hold.person_hash:
        death = await session.get(Death, hold.person_hash, with_for_update=True)
        if death is not None and death.released_at is None:
            death.released_at, death.released_by = ctx.now(), who.subject
            death.release_reason = f"false match: {reason}"[:2000]
            await recompute_person(session, ctx, hold.person_hash, death.household_ids)
    await touch(session, ctx, {e.county_code for e in ents})
