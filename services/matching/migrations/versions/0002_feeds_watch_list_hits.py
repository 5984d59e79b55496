"""Registry feeds and their records (partitioned per feed), the watch list, rules as data, hits, deaths, runs,
schedules and verification reports.

Revision ID: matching_0002
Revises: matching_0001
Create Date: 2026-11-23
"""

import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.matching.rules.defaults import DEFAULT_RULES, DEFAULT_SCHEDULES

revision: str = "matching_0002"
down_revision: str | None = "matching_0001"


def upgrade() -> None:
    op.create_table(
        "application_people",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("application_id", "person", "role", name=op.f("pk_application_people")),
        schema="matching",
    )
    op.create_index(
        op.f("ix_application_people_person"), "application_people", ["person"], unique=False, schema="matching"
    )
    op.create_table(
        "deaths",
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("household_ids", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person", name=op.f("pk_deaths")),
        schema="matching",
    )
    op.create_index(op.f("ix_deaths_region_code"), "deaths", ["region_code"], unique=False, schema="matching")
    op.create_table(
        "entitlement_periods",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Text(), nullable=False),
        sa.Column("effective_to", sa.Text(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entitlement_periods")),
        schema="matching",
    )
    op.create_index(
        op.f("ix_entitlement_periods_entitlement_id"),
        "entitlement_periods",
        ["entitlement_id"],
        unique=False,
        schema="matching",
    )
    op.create_table(
        "feed_rejects",
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("row", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("feed_id", "row", name=op.f("pk_feed_rejects")),
        schema="matching",
    )
    op.create_table(
        "feeds",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("feed_no", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("body_format", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("rows_total", sa.BigInteger(), nullable=False),
        sa.Column("rows_loaded", sa.BigInteger(), nullable=False),
        sa.Column("rows_rejected", sa.BigInteger(), nullable=False),
        sa.Column("progress_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("hits_raised", sa.Integer(), nullable=False),
        sa.Column("deaths_raised", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("indexed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feeds")),
        sa.UniqueConstraint("feed_no", name=op.f("uq_feeds_feed_no")),
        schema="matching",
    )
    op.create_index(
        op.f("ix_feeds_source_status_as_of"), "feeds", ["source", "status", "as_of"], unique=False, schema="matching"
    )
    op.create_index(
        op.f("ix_feeds_status_received_at"), "feeds", ["status", "received_at"], unique=False, schema="matching"
    )
    op.create_table(
        "hits",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("rule_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("township_code", sa.Text(), nullable=False),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("suggested_action", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("evidence", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("evidence_key", sa.Text(), nullable=False),
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Text(), nullable=True),
        sa.Column("resolved_by_name", sa.Text(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hits")),
        sa.UniqueConstraint("person", "rule_id", "evidence_key", name=op.f("uq_hits_person")),
        schema="matching",
    )
    op.create_index(op.f("ix_hits_household_id"), "hits", ["household_id"], unique=False, schema="matching")
    op.create_index(op.f("ix_hits_status_due_date"), "hits", ["status", "due_date"], unique=False, schema="matching")
    op.create_index(
        op.f("ix_hits_township_code_status_due_date"),
        "hits",
        ["township_code", "status", "due_date"],
        unique=False,
        schema="matching",
    )
    op.create_table(
        "people",
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("identity_sealed", sa.Text(), nullable=False),
        sa.Column("id_masked", sa.Text(), nullable=False),
        sa.Column("name_masked", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person", name=op.f("pk_people")),
        schema="matching",
    )
    op.create_table(
        "records",
        sa.Column("feed_no", sa.BigInteger(), nullable=False),
        sa.Column("row_no", sa.BigInteger(), nullable=False),
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("name_masked", sa.Text(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), nullable=True),
        sa.Column("monthly_amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("plate", sa.Text(), nullable=True),
        sa.Column("vehicle_type", sa.Text(), nullable=True),
        sa.Column("registered_at", sa.Date(), nullable=True),
        sa.Column("deregistered", sa.Boolean(), nullable=True),
        sa.Column("property_id", sa.Text(), nullable=True),
        sa.Column("acquired_at", sa.Date(), nullable=True),
        sa.Column("acquisition", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=True),
        sa.Column("credit_code", sa.Text(), nullable=True),
        sa.Column("flight_date", sa.Date(), nullable=True),
        sa.Column("route", sa.Text(), nullable=True),
        schema="matching",
        postgresql_partition_by="LIST (feed_no)",
    )
    op.create_table(
        "rules",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("programs", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("conditions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("aggregate", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("evidence_fields", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("suggested_action", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rules")),
        schema="matching",
    )
    op.create_index(op.f("ix_rules_source"), "rules", ["source"], unique=False, schema="matching")
    op.create_table(
        "runs",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("feed_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("matched_rows", sa.BigInteger(), nullable=False),
        sa.Column("hits_raised", sa.Integer(), nullable=False),
        sa.Column("deaths_raised", sa.Integer(), nullable=False),
        sa.Column("reverified", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
        schema="matching",
    )
    op.create_index(op.f("ix_runs_feed_id"), "runs", ["feed_id"], unique=False, schema="matching")
    op.create_table(
        "source_schedules",
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("frequency", sa.Text(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_run_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_source_schedules")),
        schema="matching",
    )
    op.create_table(
        "verifications",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("feed_id", sa.Text(), nullable=True),
        sa.Column("people_checked", sa.Integer(), nullable=False),
        sa.Column("sources_checked", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verifications")),
        schema="matching",
    )
    op.create_index(
        op.f("ix_verifications_application_id"), "verifications", ["application_id"], unique=False, schema="matching"
    )
    op.create_table(
        "watch_applications",
        sa.Column("application_id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("application_id", name=op.f("pk_watch_applications")),
        schema="matching",
    )
    op.create_table(
        "watch_entitlements",
        sa.Column("entitlement_id", sa.Text(), nullable=False),
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("program", sa.Text(), nullable=False),
        sa.Column("open_ended", sa.Boolean(), nullable=False),
        sa.Column("last_paid_month", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("entitlement_id", name=op.f("pk_watch_entitlements")),
        schema="matching",
    )
    op.create_index(
        op.f("ix_watch_entitlements_household_id"),
        "watch_entitlements",
        ["household_id"],
        unique=False,
        schema="matching",
    )
    op.create_table(
        "watch_households",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("region_code", sa.Text(), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("members_as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("household_id", name=op.f("pk_watch_households")),
        schema="matching",
    )
    op.create_table(
        "watch_members",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("household_id", "person", name=op.f("pk_watch_members")),
        schema="matching",
    )
    op.create_index(op.f("ix_watch_members_person"), "watch_members", ["person"], unique=False, schema="matching")
    op.create_table(
        "watch_obligors",
        sa.Column("household_id", sa.Text(), nullable=False),
        sa.Column("person", sa.UUID(), nullable=False),
        sa.Column("relation", sa.Text(), nullable=False),
        sa.Column("application_id", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("household_id", "person", name=op.f("pk_watch_obligors")),
        schema="matching",
    )
    op.create_index(op.f("ix_watch_obligors_person"), "watch_obligors", ["person"], unique=False, schema="matching")
    # ### end Alembic commands ###

    # The rule catalogue of DOMAIN.md §5 as shipped (services/matching/rules/defaults.py, its one source); later
    # changes are made through the rules API.
    seeded_at = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    op.bulk_insert(
        sa.table(
            "rules",
            *(sa.column(c) for c in ("id", "source", "kind", "severity", "suggested_action", "description", "enabled")),
            sa.column("roles", postgresql.ARRAY(sa.Text())),
            sa.column("programs", postgresql.ARRAY(sa.Text())),
            sa.column("evidence_fields", postgresql.ARRAY(sa.Text())),
            sa.column("conditions", postgresql.JSONB()),
            sa.column("aggregate", postgresql.JSONB()),
            sa.column("updated_at", sa.DateTime(timezone=True)),
            sa.column("updated_by"),
            schema="matching",
        ),
        [{**rule, "updated_at": seeded_at, "updated_by": "migration"} for rule in DEFAULT_RULES],
    )
    # Seeds 001 and 003: each source's schedule.
    op.bulk_insert(
        sa.table(
            "source_schedules", sa.column("source"), sa.column("frequency"), sa.column("updated_by"), schema="matching"
        ),
        [{**schedule, "updated_by": "migration"} for schedule in DEFAULT_SCHEDULES],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_watch_obligors_person"), table_name="watch_obligors", schema="matching")
    op.drop_table("watch_obligors", schema="matching")
    op.drop_index(op.f("ix_watch_members_person"), table_name="watch_members", schema="matching")
    op.drop_table("watch_members", schema="matching")
    op.drop_table("watch_households", schema="matching")
    op.drop_index(op.f("ix_watch_entitlements_household_id"), table_name="watch_entitlements", schema="matching")
    op.drop_table("watch_entitlements", schema="matching")
    op.drop_table("watch_applications", schema="matching")
    op.drop_index(op.f("ix_verifications_application_id"), table_name="verifications", schema="matching")
    op.drop_table("verifications", schema="matching")
    op.drop_table("source_schedules", schema="matching")
    op.drop_index(op.f("ix_runs_feed_id"), table_name="runs", schema="matching")
    op.drop_table("runs", schema="matching")
    op.drop_index(op.f("ix_rules_source"), table_name="rules", schema="matching")
    op.drop_table("rules", schema="matching")
    op.drop_table("records", schema="matching")
    op.drop_table("people", schema="matching")
    op.drop_index(op.f("ix_hits_township_code_status_due_date"), table_name="hits", schema="matching")
    op.drop_index(op.f("ix_hits_status_due_date"), table_name="hits", schema="matching")
    op.drop_index(op.f("ix_hits_household_id"), table_name="hits", schema="matching")
    op.drop_table("hits", schema="matching")
    op.drop_index(op.f("ix_feeds_status_received_at"), table_name="feeds", schema="matching")
    op.drop_index(op.f("ix_feeds_source_status_as_of"), table_name="feeds", schema="matching")
    op.drop_table("feeds", schema="matching")
    op.drop_table("feed_rejects", schema="matching")
    op.drop_index(op.f("ix_entitlement_periods_entitlement_id"), table_name="entitlement_periods", schema="matching")
    op.drop_table("entitlement_periods", schema="matching")
    op.drop_index(op.f("ix_deaths_region_code"), table_name="deaths", schema="matching")
    op.drop_table("deaths", schema="matching")
    op.drop_index(op.f("ix_application_people_person"), table_name="application_people", schema="matching")
    op.drop_table("application_people", schema="matching")
    # ### end Alembic commands ###
