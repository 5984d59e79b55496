"""Region names delivered to the services (issue 22): a revision per name, and how far each service has them.

Revision ID: gateway_0006
Revises: gateway_0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision: str = "gateway_0006"
down_revision: str | None = "gateway_0005"

SCHEMA = "gateway"


def upgrade() -> None:
    op.execute(sa.text(f"CREATE SEQUENCE {SCHEMA}.region_name_revisions"))
    op.add_column(
        "regions",
        sa.Column(
            "revision",
            sa.BigInteger(),
            server_default=sa.text(f"nextval('{SCHEMA}.region_name_revisions')"),
            nullable=False,
        ),
        schema=SCHEMA,
    )
    op.create_index("ix_regions_revision", "regions", ["revision"], unique=False, schema=SCHEMA)
    op.create_table(
        "region_name_cursors",
        sa.Column("service", sa.String(40), nullable=False),
        sa.Column("delivered_revision", sa.BigInteger(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("service", name="pk_region_name_cursors"),
        schema=SCHEMA,
    )


def downgrade() -> None:
    op.drop_table("region_name_cursors", schema=SCHEMA)
    op.drop_index("ix_regions_revision", table_name="regions", schema=SCHEMA)
    op.drop_column("regions", "revision", schema=SCHEMA)
    op.execute(sa.text(f"DROP SEQUENCE {SCHEMA}.region_name_revisions"))
