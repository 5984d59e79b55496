"""casework_0002, last part: the national figures of the standards."""

import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create() -> None:
    # National figures (DOMAIN.md §3, §4, seed 000/001/002/004); money standards are local and have no national row.
    standards = sa.table(
        "standards",
        sa.column("region_prefix", sa.Text()),
        sa.column("effective_from", sa.Date()),
        sa.column("name", sa.Text()),
        sa.column("value", postgresql.JSONB()),
        sa.column("created_by", sa.Text()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        schema="casework",
    )
    national = {
        "marginal_multiplier_pct": 150,
        "employment_cost_deduction_fen": 0,
        "gradual_exit_schedule_pct": [100, 100, 100, 100, 100, 100],
        "benefit_start_offset_months": 1,
        "publicity_days": 7,
        "confirmation_delegated": False,
        "review_months_a": 12,
        "review_months_b": 6,
        "review_months_c": 3,
        "review_months_monthly": 1,
        "review_months_quarterly": 3,
        "village_report_due_day": 20,
        "township_report_due_day": 25,
    }
    seeded_at = datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    op.bulk_insert(
        standards,
        [
            {
                "region_prefix": "",
                "effective_from": datetime.date(2000, 1, 1),
                "name": name,
                "value": value,
                "created_by": "migration",
                "created_at": seeded_at,
            }
            for name, value in national.items()
        ],
    )
