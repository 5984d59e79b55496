"""Shapes of the API of rows refused as outside their provider's region."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel


class OutsideRegionRowOut(BaseModel):
    feed_id: str
    source: str
    row: int
    client_id: str
    client_name: str | None
    provider_region: str | None
    region_code: str
    person_id_masked: str
    recorded_at: dt.datetime
