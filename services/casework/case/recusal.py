"""Recusal (回避, DOMAIN.md §7): a staff member related to a household may take no action on it or its cases."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.casework.case.errors import RecusalRequired
from services.casework.case.models import Case
from services.casework.relatives.models import Recusal


async def recusals_for(session: AsyncSession, *, case_id: str | None, household_id: str | None) -> list[Recusal]:
    subjects = []
    if case_id is not None:
        subjects.append(and_(Recusal.subject_kind == "case", Recusal.subject_id == case_id))
    if household_id is not None:
        subjects.append(and_(Recusal.subject_kind == "household", Recusal.subject_id == household_id))
    if not subjects:
        return []
    return list((await session.scalars(select(Recusal).where(or_(*subjects)))).all())


def _matches(r: Recusal, user: str, name: str) -> bool:
    # By user id when the filing knows it; by real name otherwise (a declaration often names a person only).
    return (r.staff_user is not None and r.staff_user == user) or (bool(name) and r.staff_name == name)


async def ensure_not_recused(
    session: AsyncSession,
    principal: Principal,
    *,
    case: Case | None = None,
    household_id: str | None = None,
    others: Iterable[tuple[str, str]] = (),
) -> None:
    """403 `recusal_required` if the principal (or any of `others`: (user, name) such as investigators) is related."""
    rows = await recusals_for(
        session, case_id=case.id if case else None, household_id=household_id or (case.household_id if case else None)
    )
    if not rows:
        return
    people = [(principal.subject, principal.display_name), *others]
    for user, name in people:
        if any(_matches(r, user, name) for r in rows):
            who = "You are" if user == principal.subject else f"{name or user} is"
            raise RecusalRequired(
                f"{who} filed as a close relative of a member of this household and must recuse (DOMAIN.md §7)"
            )


async def carry_recusals(session: AsyncSession, *, from_kind: str, from_id: str, household_id: str) -> None:
    """Whoever must recuse from an application or a household must recuse from the household it becomes (its
    approval, its successor after 停旧建新): the rows are copied, once (DOMAIN.md §7)."""
    rows = (
        await session.scalars(select(Recusal).where(Recusal.subject_kind == from_kind, Recusal.subject_id == from_id))
    ).all()
    if not rows:
        return
    values = [
        {
            "subject_kind": "household",
            "subject_id": household_id,
            "staff_user": r.staff_user,
            "staff_name": r.staff_name,
            "relation": r.relation,
            "source": r.source,
            "recorded_at": r.recorded_at,
        }
        for r in rows
    ]
    await session.execute(
        pg_insert(Recusal).values(values).on_conflict_do_nothing(constraint="uq_recusals_subject_staff")
    )
