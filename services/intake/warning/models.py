"""Provincial warnings received (CONTRACTS.md §4), kept to answer a repeat of the same `warning_id` identically."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Mapped

from libs.kernel.column_types import TextKey
from services.intake.db import Base


class ProvinceWarning(Base):
    __tablename__ = "province_warnings"

    warning_id: Mapped[TextKey]
    client: Mapped[str]
    # SHA-256 of the canonical request: equal means "the same warning again", different means a reused id (409).
    request_hash: Mapped[str]
    kind: Mapped[str]
    region_code: Mapped[str]
    outcome: Mapped[str]  # lead | review
    response: Mapped[dict[str, Any]]
    received_at: Mapped[dt.datetime]
