"""The payment deadline per region (seed 001 三(四): "确保 10 日前发放到位"): local figures effective from a month, the
national row (by the 10th) seeded. Each line's payment time was already stored (`roster_lines.paid_at`, as finance
reports it).

Revision ID: disbursement_0003
Revises: disbursement_0002
Create Date: 2026-12-07
"""

import datetime

import sqlalchemy as sa
from alembic import op

from libs.modules.local_figures_seed import seed_national

revision: str = "disbursement_0003"
down_revision: str | None = "disbursement_0002"


def upgrade() -> None:
    table = op.create_table(
        "deadline_figures",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("region_prefix", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("paid_by_day", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_figures")),
        sa.UniqueConstraint("region_prefix", "effective_from", name="uq_deadline_figures_prefix_from"),
        schema="disbursement",
    )
    assert table is not None
    seed_national(table, [{"paid_by_day": 10}], datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC))


def downgrade() -> None:
    op.drop_table("deadline_figures", schema="disbursement")
