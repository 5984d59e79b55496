"""The region table: a code of the administrative divisions (2, 4, 6, 9 or 12 digits) and its name.

Named by administrators inside their own jurisdiction (a county's administrator names its townships and villages);
the name is what every page shows instead of the code.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, func
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_by: Mapped[str] = mapped_column(String(100))
