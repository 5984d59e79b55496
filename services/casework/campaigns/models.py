"""An annual review campaign (年度复核) of a county: its window, procedure, and the progress of its opening."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.casework.db import Base


class CampaignStatus(StrEnum):
    OPENING = "opening"  # reviews still being opened (or waiting for the window to start)
    OPENED = "opened"  # every household of the county has its review or was skipped


class ReviewCampaign(Base):
    """One per county and year. Households are taken in id order, a chunk per transaction; `cursor` is the last
    household id done, written in the chunk's own transaction, so an opening cut short resumes after it."""

    __tablename__ = "review_campaigns"

    id: Mapped[TextKey]
    county_code: Mapped[str]
    year: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[dt.date]
    window_end: Mapped[dt.date]  # every review of the campaign is due on this day
    simplified: Mapped[bool]
    status: Mapped[str]
    households: Mapped[int] = mapped_column(Integer)  # on the review calendar when the campaign was made
    opened: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)  # already under an open review
    cursor: Mapped[str | None]
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]

    __table_args__ = (UniqueConstraint("county_code", "year", name="uq_review_campaigns_county_year"),)
