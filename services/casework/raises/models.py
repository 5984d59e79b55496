"""A standard raise confirmed by a county (提标, issue 20): one row per batch, its progress and resume point."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.casework.db import Base


class BatchStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"


class StandardRaiseBatch(Base):
    """Households are taken in id order, a chunk per transaction; `cursor` is the last household id done, written in
    the chunk's own transaction, so a batch that stopped (a crash, a restart) resumes after it and nothing twice."""

    __tablename__ = "standard_raise_batches"

    id: Mapped[TextKey]
    county_code: Mapped[str]
    effective_month: Mapped[str]  # YYYY-MM
    # The figures in force for the county in that month (their row ids, digested): the batch's natural key with the
    # county and month, so confirming the same raise twice finds the same batch.
    standards_key: Mapped[str]
    status: Mapped[str]
    total: Mapped[int] = mapped_column(Integer)  # households in scope when the batch was made
    done: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)  # entitlements whose amount changed
    cursor: Mapped[str | None]
    created_by: Mapped[str]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    finished_at: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint(
            "county_code", "effective_month", "standards_key", name="uq_standard_raise_batches_county_month_key"
        ),
    )
