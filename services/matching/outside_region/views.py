"""How a row refused as outside its provider's region is shown: the person masked."""

from __future__ import annotations

from libs.kernel.presenters import from_row
from services.matching.outside_region.models import OutsideRegionRow
from services.matching.outside_region.schemas import OutsideRegionRowOut


def row_out(row: OutsideRegionRow) -> OutsideRegionRowOut:
    return from_row(OutsideRegionRowOut, row, row=row.row_no, person_id_masked=row.id_masked)
