"""A roster line is found by its entitlement through a hash index (issue 23): every reader asks for one entitlement's
lines by equality, and a roster's million lines arrive in random entitlement order, which a B-tree on
`(entitlement_id, period)` paid for at build with a look-up and often a page split per line (5–12 s of a million-line
build, growing with the months already held; a hash index, 2.9–4.1 s).

Revision ID: disbursement_0010
Revises: disbursement_0009
Create Date: 2026-12-07
"""

from alembic import op

revision: str = "disbursement_0010"
down_revision: str | None = "disbursement_0009"

_TABLE = "roster_lines"
_SCHEMA = "disbursement"


def upgrade() -> None:
    op.drop_index(op.f("ix_roster_lines_entitlement_id_period"), table_name=_TABLE, schema=_SCHEMA)
    op.create_index(
        op.f("ix_roster_lines_entitlement_id"), _TABLE, ["entitlement_id"], schema=_SCHEMA, postgresql_using="hash"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_roster_lines_entitlement_id"), table_name=_TABLE, schema=_SCHEMA)
    op.create_index(op.f("ix_roster_lines_entitlement_id_period"), _TABLE, ["entitlement_id", "period"], schema=_SCHEMA)
