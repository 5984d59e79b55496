"""Feeds carry their provider's region, name, idempotency key and body hash, and why they failed; an upload may wait
for its body; rows refused as outside the provider's region are kept for staff (issue 17).

Feeds received before this revision have no provider region: they act on no one (their rows cannot be placed), and
each source's next feed replaces them.

Revision ID: matching_0003
Revises: matching_0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision: str = "matching_0003"
down_revision: str | None = "matching_0002"


def upgrade() -> None:
    op.alter_column("feeds", "body_format", existing_type=sa.Text(), nullable=True, schema="matching")
    op.add_column("feeds", sa.Column("client_name", sa.Text(), nullable=True), schema="matching")
    op.add_column("feeds", sa.Column("provider_region", sa.Text(), nullable=True), schema="matching")
    op.add_column("feeds", sa.Column("idempotency_key", sa.Text(), nullable=True), schema="matching")
    op.add_column("feeds", sa.Column("body_sha256", sa.Text(), nullable=True), schema="matching")
    op.add_column(
        "feeds",
        sa.Column("awaiting_body", sa.Boolean(), server_default=sa.false(), nullable=False),
        schema="matching",
    )
    op.add_column("feeds", sa.Column("failure", sa.Text(), nullable=True), schema="matching")
    op.create_index(
        "uq_feeds_client_id_idempotency_key",
        "feeds",
        ["client_id", "idempotency_key"],
        unique=True,
        schema="matching",
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.create_table(
        "outside_region_rows",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("row_no", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("client_name", sa.Text(), nullable=True),
        sa.Column("provider_region", sa.Text(), nullable=True),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("id_masked", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outside_region_rows")),
        sa.UniqueConstraint("feed_id", "row_no", "region_code", name=op.f("uq_outside_region_rows_feed_id")),
        schema="matching",
    )
    op.create_index(
        op.f("ix_outside_region_rows_recorded_at_id"),
        "outside_region_rows",
        ["recorded_at", "id"],
        unique=False,
        schema="matching",
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_outside_region_rows_recorded_at_id"), table_name="outside_region_rows", schema="matching")
    op.drop_table("outside_region_rows", schema="matching")
    op.drop_index("uq_feeds_client_id_idempotency_key", table_name="feeds", schema="matching")
    for column in ("failure", "awaiting_body", "body_sha256", "idempotency_key", "provider_region", "client_name"):
        op.drop_column("feeds", column, schema="matching")
    op.execute("UPDATE matching.feeds SET body_format = '' WHERE body_format IS NULL")
    op.alter_column("feeds", "body_format", existing_type=sa.Text(), nullable=False, schema="matching")
