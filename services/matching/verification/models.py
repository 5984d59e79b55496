"""Verification reports of applications (DOMAIN.md §3.4: every entrant checked), as sent to casework."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.matching.db import Base


class Verification(Base):
    __tablename__ = "verifications"

    id: Mapped[TextKey]
    application_id: Mapped[str] = mapped_column(index=True)
    # submitted: the report on the application's arrival; feed: a new feed found something about a pending one.
    trigger: Mapped[str]
    feed_id: Mapped[str | None]
    people_checked: Mapped[int] = mapped_column(Integer)
    sources_checked: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer)
    completed_at: Mapped[dt.datetime]
