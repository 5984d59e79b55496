"""How a row refused as outside its provider's region is shown: the person masked."""

from __future__ import annotations

from services.matching.outside_region.models import OutsideRegionRow
from services.matching.outside_region.schemas import OutsideRegionRowOut


def row_out(row: OutsideRegionRow) -> OutsideRegionRowOut:
    return OutsideRegionRowOut(
        feed_id=row.feed_id,
        source=row.source,
        row=row.row_no,
        client_id=row.client_id,
        client_name=row.client_name,
        provider_region=row.provider_region,
        region_code=row.region_code,
        person_id_masked=row.id_masked,
        recorded_at=row.recorded_at,
    )
