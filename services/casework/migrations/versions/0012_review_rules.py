"""Review rules per program (issue 21): each entitlement's own next review date, and the national rule figures.

The rules are seeded as the notices name them (seed 002 二(一) dibao by the household's class, 特困 yearly, seed 003
二 the disability subsidies quarterly, seed 000 三(二) the other programs by the monthly registry check). Existing
entitlements take their household's date, except those the registry check covers; a household left with only such
programs has no visit date any more (its date came from the old one-class-per-household rule).

Revision ID: casework_0012
Revises: casework_0011
Create Date: 2026-12-07
"""

import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from services.casework.migrations.national_standards import seed_national_standards

revision: str = "casework_0012"
down_revision: str | None = "casework_0011"

# A copy, not an import: the migration must not change when the code's defaults do.
_RULES = {
    "dibao": "household",
    "dibao_single": "household",
    "marginal": "household",
    "tekun_centralized": "A",
    "tekun_dispersed": "A",
    "disability_living": "quarterly",
    "disability_care": "quarterly",
    "orphan": "registry",
    "hiv_child": "registry",
    "de_facto_orphan": "registry",
    "elderly_high_age": "registry",
    "elderly_disabled": "registry",
    "tekun_care": "registry",
    "legacy_railway_militia": "registry",
    "legacy_retired_staff": "registry",
}


def upgrade() -> None:
    op.add_column("entitlements", sa.Column("next_review_date", sa.Date(), nullable=True), schema="casework")
    seed_national_standards(
        {f"review_rule_{program}": rule for program, rule in _RULES.items()},
        datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC),
    )
    registry_checked = [p for p, rule in _RULES.items() if rule == "registry"]
    programs = sa.bindparam("registry_checked", registry_checked, type_=postgresql.ARRAY(sa.Text()))
    op.execute(
        sa.text(
            "UPDATE casework.entitlements e SET next_review_date = h.next_review_date FROM casework.households h"
            " WHERE e.household_id = h.id AND e.status <> 'stopped' AND NOT e.program = ANY(:registry_checked)"
        ).bindparams(programs)
    )
    op.execute(
        sa.text(
            "UPDATE casework.households h SET next_review_date = NULL WHERE h.next_review_date IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM casework.entitlements e WHERE e.household_id = h.id"
            " AND e.next_review_date IS NOT NULL)"
            " AND EXISTS (SELECT 1 FROM casework.entitlements e WHERE e.household_id = h.id AND e.status <> 'stopped')"
        )
    )


def downgrade() -> None:
    op.execute(
        sa.text("DELETE FROM casework.standards WHERE name LIKE 'review\\_rule\\_%' AND created_by = 'migration'")
    )
    op.drop_column("entitlements", "next_review_date", schema="casework")
