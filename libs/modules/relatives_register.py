"""A service's copy of casework's close-relative register (回避, DOMAIN.md §7), kept from
`close-relative-filing-changed`: intake, complaints and matching each keep one in their own table, keyed by their
own person key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import ColumnElement, Index, Table, exists, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped

from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState
from libs.kernel.auth import Principal
from libs.kernel.column_types import TextKey
from libs.kernel.errors import Forbidden


class RecusalRequired(Forbidden):
    """A staff member refused a step on the household of someone they are a close relative of (code
    `recusal_required`, casework's concept, in `libs.contracts.errors.casework`)."""

    code = "recusal_required"


class RegisteredRelativeColumns:
    """Mixed into a service's model of its copy (`class RegisteredRelative(RegisteredRelativeColumns, Base)`): one row
    per filing, with only what recognises the staff member. The service's class adds the relative's own key column
    and indexes it with `active_filings_index`."""

    __tablename__ = "registered_relatives"

    # Casework's filing id: a redelivered event finds its row.
    filing_id: Mapped[TextKey]
    staff_user: Mapped[str | None]
    staff_name: Mapped[str]
    filed_at: Mapped[dt.datetime]
    withdrawn_at: Mapped[dt.datetime | None]


def active_filings_index(relative_key: str) -> Index:
    """The index on the relative's key over the filings not withdrawn, which every recusal check looks up."""
    return Index(f"ix_registered_relatives_{relative_key}", relative_key, postgresql_where="withdrawn_at IS NULL")


async def names_relative(
    session: AsyncSession, register: type[RegisteredRelativeColumns], who: Principal, related: ColumnElement[bool]
) -> bool:
    """Whether `register` files `who`, and has not withdrawn it, as the close relative of someone `related` picks.

    By user id when the filing gives it, by real name always (a namesake is refused too: recusal errs on the side of
    keeping a relative's hands off, as for declared relatives)."""
    same_staff = register.staff_user == who.subject
    if who.display_name:
        same_staff = or_(same_staff, register.staff_name == who.display_name)
    stmt = select(exists().where(related, register.withdrawn_at.is_(None), same_staff))
    return bool((await session.execute(stmt)).scalar_one())


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
