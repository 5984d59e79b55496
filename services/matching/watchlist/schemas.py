"""Shapes of the watch list's API."""

from __future__ import annotations

from pydantic import BaseModel


class WatchSummary(BaseModel):
    region_code: str
    month: str
    households: int
    members: int
    obligors: int
    pending_applications: int
    applicants: int
