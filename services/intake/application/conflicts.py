"""One person, one open claim (DOMAIN.md): an application may not claim a person who is in another open application, or
in a recipient household, for a program that conflicts with its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.programs import Program
from services.intake.application import repository as repo
from services.intake.application.errors import PersonAlreadyRecipient, PersonInOpenApplication
from services.intake.application.rules import claimed_id_numbers, programs_conflict
from services.intake.application.schemas import ApplicationIn
from services.intake.context import Intake

Found = TypeVar("Found", repo.OpenClaim, repo.HeldProgram)


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

    def on_member(person_hash: str, msg: str) -> list[dict[str, object]]:
        """The error naming the `id_number` of the member a conflict is about."""
        return [{"loc": ["body", "members", index[hashes[person_hash]], "id_number"], "msg": msg}]

    if (claim := _first_conflicting(body.program, claims)) is not None:
        raise PersonInOpenApplication(
            f"This person is already in open application {claim.application_no} ({claim.program.value})",
            errors=on_member(claim.person_hash, f"in open application {claim.application_no}"),
            conflicting_application_id=claim.application_id,
            conflicting_application_no=claim.application_no,
        )
    if (held := _first_conflicting(body.program, held_programs)) is not None:
        raise PersonAlreadyRecipient(
            f"This person is in recipient household {held.household_id}, which holds {held.program.value}",
            errors=on_member(held.person_hash, f"in recipient household {held.household_id}"),
            conflicting_household_id=held.household_id,
        )


def _first_conflicting(program: Program, found: Sequence[Found]) -> Found | None:
    """The first claim or held program that conflicts with `program`, in the order the repository found them."""
    return next((f for f in found if programs_conflict(program, f.program)), None)
