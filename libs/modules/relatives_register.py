"""A service's copy of casework's close-relative register (回避, DOMAIN.md §7), kept from
`close-relative-filing-changed`: intake, complaints and matching each keep one in their own table, keyed by their
own person key."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op
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


def create_register_table_v1(schema: str, relative_key: str, key_type: sa.types.TypeEngine[Any]) -> None:
    """The register's table as intake_0003, matching_0004 and complaints_0006 created it in `schema`: the relative is
    kept by the service's own person key (`relative_key` of `key_type`), indexed for the filings not withdrawn.

    Called from migrations, which must stay frozen: a later change to the table is a new revision, not an edit here.
    """
    op.create_table(
        "registered_relatives",
        sa.Column("filing_id", sa.Text(), nullable=False),
        sa.Column("staff_user", sa.Text(), nullable=True),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column(relative_key, key_type, nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("filing_id", name=op.f("pk_registered_relatives")),
        schema=schema,
    )
    op.create_index(
        f"ix_registered_relatives_{relative_key}",
        "registered_relatives",
        [relative_key],
        schema=schema,
        postgresql_where="withdrawn_at IS NULL",
    )


def drop_register_table_v1(schema: str, relative_key: str) -> None:
    op.drop_index(
        f"ix_registered_relatives_{relative_key}",
        table_name="registered_relatives",
        schema=schema,
        postgresql_where="withdrawn_at IS NULL",
    )
    op.drop_table("registered_relatives", schema=schema)


def register_revision_v1(
    schema: str, relative_key: str, key_type: sa.types.TypeEngine[Any]
) -> tuple[Callable[[], None], Callable[[], None]]:
    """`upgrade` and `downgrade` of a revision that adds only the register's table (intake_0003, matching_0004)."""

    def upgrade() -> None:
        create_register_table_v1(schema, relative_key, key_type)

    def downgrade() -> None:
        drop_register_table_v1(schema, relative_key)

    return upgrade, downgrade
