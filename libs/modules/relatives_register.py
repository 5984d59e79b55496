"""A service's copy of casework's close-relative register (回避, DOMAIN.md §7), kept from
`close-relative-filing-changed`: intake, complaints and matching each keep one in their own table, keyed by their
own person key."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Table, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState


async def keep_filing(
    session: AsyncSession, table: Table, e: CloseRelativeFilingChanged, relative: Mapping[str, object]
) -> None:
    """One row per filing in `table` (filing_id, staff_user, staff_name, filed_at, withdrawn_at, and the relative's key
    column(s) given by `relative`). A filing is only ever withdrawn after it is made, so a withdrawal is kept whatever
    order the events arrive in, and a redelivery changes nothing."""
    withdrawn_at = e.changed_at if e.state is FilingState.WITHDRAWN else None
    insert = pg_insert(table).values(
        filing_id=e.filing_id,
        staff_user=e.staff_user,
        staff_name=e.staff_name,
        filed_at=e.changed_at,
        withdrawn_at=withdrawn_at,
        **relative,
    )
    if withdrawn_at is None:
        await session.execute(insert.on_conflict_do_nothing(index_elements=["filing_id"]))
        return
    # The first withdrawal time stays; a filing event arriving late leaves it withdrawn.
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["filing_id"],
            set_={"withdrawn_at": func.coalesce(table.c.withdrawn_at, insert.excluded.withdrawn_at)},
        )
    )
