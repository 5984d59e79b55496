"""The close-relative register as other services learn it (近亲属备案, DOMAIN.md §7, seed 002).

Casework keeps the register; intake must refuse a filed staff member's action on the relative's applications and
leads before casework ever sees them, so casework publishes `close-relative-filing-changed` when a filing is made and
when it is withdrawn. Only what a consumer needs to recognise the staff member (user id, name) and the relative
(identity number, which the consumer hashes with its own key) is carried: not the relation, the unit or the reason.
Matching (confirming or dismissing a hit) and complaints (handling an item) refuse the same staff on the relatives'
households with it too.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime

from libs.contracts.events.base import EventPayload, Id, Text
from libs.contracts.id_number import IdNumberStr


class FilingState(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class CloseRelativeFilingChanged(EventPayload):
    """A filing as it now stands. A filing only ever goes from `active` to `withdrawn` (filing the relation again
    is a new filing, with a new id), so a consumer keeps a withdrawal whatever order the two arrive in. Keyed by the
    relative's keyed hash, so both events of one relative share a partition."""

    event_type = "close-relative-filing-changed"

    filing_id: Id
    state: FilingState
    # The staff member's user id where they have an account; recusal matches it, else the name (DOMAIN.md §7).
    staff_user: Id | None = None
    staff_name: Text
    relative_id_number: IdNumberStr
    changed_at: AwareDatetime
