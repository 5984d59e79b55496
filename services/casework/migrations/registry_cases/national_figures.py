"""casework_0002, last part: the national figures of the standards."""

import datetime

from services.casework.migrations.national_standards import seed_national_standards


def create() -> None:
    # National figures (DOMAIN.md §3, §4, seed 000/001/002/004); money standards are local and have no national row.
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
    seed_national_standards(national, datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC))
