"""The case's history: who did what, from which status to which (one archive per household, DOMAIN.md §11)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from services.casework.case.models import Case, CaseHistory


def record(
    session: AsyncSession,
    case: Case,
    *,
    actor: str | Principal,
    action: str,
    status_from: str | None,
    detail: str = "",
    at: dt.datetime,
) -> None:
    who, name = (actor.subject, actor.display_name or "") if isinstance(actor, Principal) else (actor, "")
    session.add(
        CaseHistory(
            case_id=case.id,
            at=at,
            actor=who,
            actor_name=name,
            action=action,
            status_from=status_from,
            status_to=case.status,
            detail=detail[:4000],
        )
    )
