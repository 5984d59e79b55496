"""The region table: a code of the administrative divisions (2, 4, 6, 9 or 12 digits) and its name.

Named by administrators inside their own jurisdiction (a county's administrator names its townships and villages);
the name is what every page shows instead of the code.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Sequence, String, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base

# Every new or changed name takes the next number: the services are sent the names past the last one they have.
REVISIONS = Sequence("region_name_revisions", schema="gateway")


class Region(Base):
    __tablename__ = "regions"
    __table_args__ = (Index("ix_regions_revision", "revision"),)

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_by: Mapped[str] = mapped_column(String(100))
    revision: Mapped[int] = mapped_column(BigInteger, REVISIONS, server_default=REVISIONS.next_value())


class RegionNameCursor(Base):
    """How far one service has the names: every name with a revision up to `delivered_revision` reached it."""

    __tablename__ = "region_name_cursors"

    service: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivered_revision: Mapped[int] = mapped_column(BigInteger)
    delivered_at: Mapped[datetime] = mapped_column(server_default=func.now())
