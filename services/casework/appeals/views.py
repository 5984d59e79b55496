"""An appeal as the API shows it: its row, under the appeal's own id."""

from __future__ import annotations

from libs.kernel.presenters import from_row
from services.casework.appeals.models import CaseAppeal
from services.casework.appeals.schemas import AppealOut


def appeal_out(appeal: CaseAppeal) -> AppealOut:
    return from_row(AppealOut, appeal, appeal_id=appeal.id)
