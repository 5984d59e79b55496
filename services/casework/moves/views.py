"""A move as the API shows it: its row, under the move's own id."""

from __future__ import annotations

from libs.kernel.presenters import from_row
from services.casework.moves.models import HouseholdMove
from services.casework.moves.schemas import MoveOut


def move_out(move: HouseholdMove) -> MoveOut:
    return from_row(MoveOut, move, move_id=move.id)
