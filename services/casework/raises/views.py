"""A standard raise's batch as the county follows it: its row, under the batch's own id."""

from __future__ import annotations

from libs.kernel.presenters import from_row
from services.casework.raises.models import StandardRaiseBatch
from services.casework.raises.schemas import BatchOut


def batch_out(batch: StandardRaiseBatch) -> BatchOut:
    return from_row(BatchOut, batch, batch_id=batch.id)
