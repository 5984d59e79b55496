"""One person, one open claim (DOMAIN.md): an application may not claim a person who is in another open application, or
in a recipient household, for a program that conflicts with its own."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.intake.application import repository as repo
from services.intake.application.errors import PersonAlreadyRecipient, PersonInOpenApplication
from services.intake.application.rules import claimed_id_numbers, programs_conflict
from services.intake.application.schemas import ApplicationIn
from services.intake.context import Intake


async def ensure_no_conflict(session: AsyncSession, ctx: Intake, body: ApplicationIn, exclude: str) -> None:
    """409 if a claimed person is in another open application, or in a recipient household, for a conflicting program.

    The people are locked first (advisory locks, in hash order), so two officers cannot both pass this check for the
    same person at once.
    """
    ids = claimed_id_numbers(body)
    hashes = {ctx.hash(i): i for i in ids}
    await repo.lock_people(session, list(hashes))
    index = {m.id_number: i for i, m in enumerate(body.members)}
    claims, held_programs = await repo.conflicts(session, list(hashes), exclude)
    for claim in claims:
        if programs_conflict(body.program, claim.program):
            loc = ["body", "members", index[hashes[claim.person_hash]], "id_number"]
            raise PersonInOpenApplication(
                f"This person is already in open application {claim.application_no} ({claim.program.value})",
                errors=[{"loc": loc, "msg": f"in open application {claim.application_no}"}],
                conflicting_application_id=claim.application_id,
                conflicting_application_no=claim.application_no,
            )
    for held in held_programs:
        if programs_conflict(body.program, held.program):
            loc = ["body", "members", index[hashes[held.person_hash]], "id_number"]
            raise PersonAlreadyRecipient(
                f"This person is in recipient household {held.household_id}, which holds {held.program.value}",
                errors=[{"loc": loc, "msg": f"in recipient household {held.household_id}"}],
                conflicting_household_id=held.household_id,
            )
