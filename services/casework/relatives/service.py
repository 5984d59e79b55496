"""Use cases of the close-relative register (DOMAIN.md §7, seed 002): filing, withdrawal, detection of the households
a filed relative belongs to, and the recusals that follow, so an undeclared relation is caught. Never commits.

The register knows households (the registry) and not cases: what a filing means for open cases is the case's own
rule (case/close_relatives.py), which calls `file` and then `recuse`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState
from libs.contracts.id_number import masked_form
from libs.kernel.auth import Principal, ensure_jurisdiction
from libs.kernel.lookup import found_within
from libs.kernel.presenters import from_row
from services.casework.context import ID_NUMBER_CONTEXT, Casework
from services.casework.relatives import repository
from services.casework.relatives.errors import AlreadyWithdrawn, FilingExists, FilingNotFound
from services.casework.relatives.models import Recusal, StaffRelative
from services.casework.relatives.schemas import FilingIn, FilingOut, FilingStatus, RelativeOut

# Recusals found through the register, as opposed to those declared on an application.
REGISTER_SOURCE = "register"


async def file(session: AsyncSession, ctx: Casework, who: Principal, body: FilingIn) -> StaffRelative:
    """Register a relation and flag, at once, the households the relative lives in (DOMAIN.md §7)."""
    ensure_jurisdiction(who, body.staff_region)
    relative_hash = ctx.hash(body.relative.id_number)
    # Two officers filing the same relation at the same moment must end as one filing and one 409.
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"casework/staff-relative/{relative_hash}"}
    )
    existing = await repository.active_duplicate(
        session,
        staff_user=body.staff_user,
        staff_name=body.staff_name,
        relative_hash=relative_hash,
        relation=body.relation.value,
    )
    if existing is not None:
        raise FilingExists(
            "This relation is already on file; withdraw it first to file it again",
            filing_id=existing.id,
        )
    filing = StaffRelative(
        staff_user=body.staff_user,
        staff_name=body.staff_name,
        staff_unit=body.staff_unit,
        staff_region=body.staff_region,
        relative_hash=relative_hash,
        relative_id_sealed=ctx.seal(body.relative.id_number, ID_NUMBER_CONTEXT),
        relative_name=body.relative.name,
        relation=body.relation.value,
        filed_by=who.subject,
        filed_at=ctx.now(),
    )
    session.add(filing)
    await session.flush()
    await apply_filing(session, ctx, filing)
    await _publish(session, ctx, filing, body.relative.id_number)
    return filing


async def _publish(session: AsyncSession, ctx: Casework, filing: StaffRelative, relative_id_number: str) -> None:
    """Tell intake (which refuses the staff member's actions on the relative's applications and leads before any case
    exists) how the filing stands now, in the filing's own transaction (DOMAIN.md §7)."""
    state = FilingState.ACTIVE if filing.withdrawn_at is None else FilingState.WITHDRAWN
    await ctx.publish(
        session,
        CloseRelativeFilingChanged(
            filing_id=str(filing.id),
            state=state,
            staff_user=filing.staff_user,
            staff_name=filing.staff_name,
            relative_id_number=relative_id_number,
            changed_at=filing.withdrawn_at or filing.filed_at,
        ),
        subject=f"close-relative/{filing.id}",
        # The relative's keyed hash: a filing and its withdrawal share a partition (CONTRACTS.md §6).
        key=filing.relative_hash,
    )


async def apply_filing(session: AsyncSession, ctx: Casework, filing: StaffRelative) -> None:
    """Flag every household the relative lives in and record the recusals.

    Households become close-relative households (county review at every cycle, DOMAIN.md §3.5, §7). Past filings
    and recusals are never undone here.
    """
    household_ids = await repository.households_with_member(session, filing.relative_hash)
    if household_ids:
        await repository.mark_close_relative(session, household_ids)
        await recuse(session, ctx, "household", household_ids, [filing])


async def detect_for_people(
    session: AsyncSession,
    ctx: Casework,
    *,
    subject_kind: str,
    subject_id: str,
    person_hashes: Collection[str],
) -> list[StaffRelative]:
    """The active filings naming any of these people; their staff are recorded as recused from the subject (a
    case as it opens, a household as it is created). Idempotent; the caller sets the subject's flags."""
    filings = await repository.active_relatives_of(session, person_hashes)
    if filings:
        await recuse(session, ctx, subject_kind, [subject_id], filings)
    return filings


async def recuse(
    session: AsyncSession,
    ctx: Casework,
    subject_kind: str,
    subject_ids: Iterable[str],
    filings: Sequence[StaffRelative],
) -> None:
    """Record the filings' staff as recused from the subjects (a `household` or a `case`)."""
    now = ctx.now()
    rows = [
        {
            "subject_kind": subject_kind,
            "subject_id": subject_id,
            "staff_user": f.staff_user,
            "staff_name": f.staff_name,
            "relation": f.relation,
            "source": REGISTER_SOURCE,
            "recorded_at": now,
        }
        for subject_id in subject_ids
        for f in filings
    ]
    # A recusal already recorded (declared on the application, or a redelivered event) stays as it was.
    stmt = pg_insert(Recusal).values(rows).on_conflict_do_nothing(constraint="uq_recusals_subject_staff")
    await session.execute(stmt)


async def withdraw(session: AsyncSession, ctx: Casework, who: Principal, filing_id: int, reason: str) -> StaffRelative:
    """End a filing; it stays on record, and the recusals it caused stay as history."""
    filing = await get(session, who, filing_id, for_update=True)
    if filing.withdrawn_at is not None:
        raise AlreadyWithdrawn("The filing was already withdrawn")
    filing.withdrawn_at, filing.withdrawn_reason = ctx.now(), reason
    await _publish(session, ctx, filing, ctx.open(filing.relative_id_sealed, ID_NUMBER_CONTEXT))
    return filing


async def get(session: AsyncSession, who: Principal, filing_id: int, *, for_update: bool = False) -> StaffRelative:
    filing = await repository.filing_by_id(session, filing_id, for_update=for_update)
    return found_within(who, filing, FilingNotFound(f"No filing {filing_id}"), region="staff_region")


def out(ctx: Casework, filing: StaffRelative) -> FilingOut:
    masked = masked_form(ctx.open(filing.relative_id_sealed, ID_NUMBER_CONTEXT))
    return from_row(
        FilingOut,
        filing,
        filing_id=filing.id,
        status=FilingStatus.ACTIVE if filing.withdrawn_at is None else FilingStatus.WITHDRAWN,
        relative=RelativeOut(id_number_masked=masked, name=filing.relative_name),
    )
