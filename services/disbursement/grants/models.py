"""Temporary grants (临时救助) as disbursement pays them: each issue of a grant is one off-cycle payment order of one
line (issue 20), and a grant the county reclaims is a recovery order once its money is out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from libs.kernel.column_types import TextKey
from services.disbursement.db import Base


class TemporaryGrant(Base):
    """One issue (`attempt`) of a grant and the payment order it became: a repeat of the event finds it."""

    __tablename__ = "temporary_grants"

    grant_id: Mapped[TextKey]
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str]  # GrantKind: advance or ordinary
    region_code: Mapped[str]  # where the emergency happened
    county_code: Mapped[str]  # whose order it is
    household_id: Mapped[str | None]
    case_id: Mapped[str | None]
    # The payee's keyed hash: the key of the grant's events when it has no household (never the number itself).
    payee_hash: Mapped[str]
    amount_fen: Mapped[int]
    discovered_at: Mapped[dt.datetime]
    pay_by: Mapped[dt.date]
    issued_at: Mapped[dt.datetime]
    order_id: Mapped[str] = mapped_column(index=True)
    line_id: Mapped[str]
    # Its line's LineStatus: pending on its order until finance reports; after a failure casework issues the grant
    # again (a new attempt) to a corrected account.
    status: Mapped[str]
    created_at: Mapped[dt.datetime]


class GrantReclaim(Base):
    """The county's reclaim of a grant (审核不予确认), kept whether or not its money is out yet: the recovery order
    opens when a line of the grant is paid, now or later."""

    __tablename__ = "grant_reclaims"

    grant_id: Mapped[TextKey]
    region_code: Mapped[str]
    household_id: Mapped[str | None]
    amount_fen: Mapped[int]
    reason: Mapped[str]
    reclaimed_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime]
    recovery_id: Mapped[str | None]
