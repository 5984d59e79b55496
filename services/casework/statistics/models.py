"""Monthly figures kept per village (docs/architecture.md, "Statistics"): what the registry's grouped queries gave
for a month, so a county or a city adds up a few thousand stored rows instead of a million households."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.casework.db import Base


class MonthlyFigureBuild(Base):
    """A month built for every region under `region_prefix` ("" = all): its rows stand for the month there."""

    __tablename__ = "monthly_figure_builds"

    month: Mapped[TextKey]  # YYYY-MM
    region_prefix: Mapped[TextKey]
    built_at: Mapped[dt.datetime]


class MonthlyFigureRow(Base):
    """One village's figures of one month (or a region above the villages, where a row sits there: a case of a
    township), keyed as libs.contracts.statistics.casework names them; sums only, averages are derived on reading."""

    __tablename__ = "monthly_figures"

    month: Mapped[TextKey]
    area_code: Mapped[TextKey]
    figures: Mapped[dict[str, int]] = mapped_column(JSONB)
