"""How a row refused as outside its provider's region is shown: the person masked."""

from __future__ import annotations

from services.matching.outside_region.models import OutsideRegionRow
from services.matching.outside_region.schemas import OutsideRegionRowOut
from services.matching.views import from_row


def row_out(row: OutsideRegionRow) -> OutsideRegionRowOut:
    return from_row(OutsideRegionRowOut, row, row=row.row_no, person_id_masked=row.id_masked)
