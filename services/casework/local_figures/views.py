"""A stored figure as the API shows it: money without its `_fen` suffix, as a decimal string."""

from __future__ import annotations

from libs.kernel.presenters import from_row
from services.casework.local_figures.models import StandardFigure
from services.casework.local_figures.schemas import FigureRowOut, api_name, shown_value


def figure_row_out(row: StandardFigure) -> FigureRowOut:
    return from_row(FigureRowOut, row, name=api_name(row.name), value=shown_value(row.name, row.value))
