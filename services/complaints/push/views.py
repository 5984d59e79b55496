"""Hotline platforms as the API shows them (never the secret)."""

from __future__ import annotations

from services.complaints.push.models import HotlinePlatform
from services.complaints.push.schemas import PlatformOut


def platform_out(p: HotlinePlatform) -> PlatformOut:
    return PlatformOut(
        client_id=p.client_id,
        region_code=p.region_code,
        callback_url=p.callback_url,
        updated_by=p.updated_by,
        updated_at=p.updated_at,
    )
