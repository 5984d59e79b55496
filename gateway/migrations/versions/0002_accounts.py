"""Accounts that can be cut off and sessions that can be ended: per-account lockout, refresh tokens, revocations,
the record of administrative acts, and what the access audit learns from services.

Revision ID: gateway_0002
Revises: gateway_0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "gateway_0002"
down_revision: str | None = "gateway_0001"

SCHEMA = "gateway"


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False),
        schema=SCHEMA,
    )
    op.add_column("users", sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True), schema=SCHEMA)
    op.add_column(
        "clients",
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        schema=SCHEMA,
    )
    op.add_column("login_failures", sa.Column("account", sa.String(128), nullable=True), schema=SCHEMA)
    op.create_index("ix_login_failures_account_failed_at", "login_failures", ["account", "failed_at"], schema=SCHEMA)

    op.add_column("access_audit", sa.Column("principal_region", sa.String(12), nullable=True), schema=SCHEMA)
    op.add_column("access_audit", sa.Column("action", sa.String(64), nullable=True), schema=SCHEMA)
    op.add_column("access_audit", sa.Column("target", sa.String(128), nullable=True), schema=SCHEMA)
    op.create_index("ix_access_audit_action_occurred_at", "access_audit", ["action", "occurred_at"], schema=SCHEMA)

    op.create_table(
        "refresh_tokens",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("family", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("session_expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_refresh_tokens_token_hash"),
        schema=SCHEMA,
    )
    op.create_index("ix_refresh_tokens_subject", "refresh_tokens", ["subject"], schema=SCHEMA)
    op.create_index("ix_refresh_tokens_family", "refresh_tokens", ["family"], schema=SCHEMA)

    op.create_table(
        "revocations",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("jti", sa.String(64), nullable=True),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_revocations"),
        schema=SCHEMA,
    )
    op.create_index("ix_revocations_created_at", "revocations", ["created_at"], schema=SCHEMA)

    op.create_table(
        "admin_actions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor_subject", sa.String(128), nullable=False),
        sa.Column("actor_name", sa.String(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.String(128), nullable=False),
        sa.Column("target_name", sa.String(100), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("request_id", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_admin_actions"),
        schema=SCHEMA,
    )
    op.create_index("ix_admin_actions_occurred_at", "admin_actions", ["occurred_at"], schema=SCHEMA)
    op.create_index("ix_admin_actions_target", "admin_actions", ["target_id", "occurred_at"], schema=SCHEMA)
    op.create_index("ix_admin_actions_actor", "admin_actions", ["actor_subject", "occurred_at"], schema=SCHEMA)


def downgrade() -> None:
    op.drop_table("admin_actions", schema=SCHEMA)
    op.drop_table("revocations", schema=SCHEMA)
    op.drop_table("refresh_tokens", schema=SCHEMA)
    op.drop_index("ix_access_audit_action_occurred_at", "access_audit", schema=SCHEMA)
    for column in ("target", "action", "principal_region"):
        op.drop_column("access_audit", column, schema=SCHEMA)
    op.drop_index("ix_login_failures_account_failed_at", "login_failures", schema=SCHEMA)
    op.drop_column("login_failures", "account", schema=SCHEMA)
    op.drop_column("clients", "updated_at", schema=SCHEMA)
    op.drop_column("users", "password_changed_at", schema=SCHEMA)
    op.drop_column("users", "must_change_password", schema=SCHEMA)
