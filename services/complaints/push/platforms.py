"""Registering a hotline platform's callback (CONTRACTS.md §2): who may, and which URLs may be called.

A callback decides where a platform's results, which name callers and the people they report, are sent from inside
the deployment. So only a system administrator whose jurisdiction covers the platform's region reads or changes it
(the gateway tells its region when it registers a new client), and the URL must pass the outbound policy
(libs/kernel/outbound.py): https in production, no loopback, link-local or private address unless the operator allows
them. It is checked here in form and again, resolved, before every push (delivery.py).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from libs.kernel.auth import Principal
from libs.kernel.errors import OutsideJurisdiction
from libs.kernel.outbound import CallbackUrlRefused, RefusedUrl
from services.complaints.context import PLATFORM_SIGNING_SEAL, Complaints
from services.complaints.push import repository
from services.complaints.push.models import HotlinePlatform
from services.complaints.push.schemas import PlatformIn


async def register(
    session: AsyncSession, ctx: Complaints, admin: Principal, client_id: str, body: PlatformIn
) -> HotlinePlatform:
    """Register (or change) where a hotline client's results go; results waiting for it are tried at once."""
    now = ctx.now()
    values = {
        "callback_url": _allowed_url(ctx, str(body.callback_url)),
        "secret_sealed": ctx.seal(body.client_secret.get_secret_value(), PLATFORM_SIGNING_SEAL),
        "updated_by": admin.subject,
    }
    platform = await repository.platform_for_update(session, client_id)
    if platform is None:
        await _authorise(session, admin, client_id, None, body.region_code)
        new = {"client_id": client_id, "region_code": body.region_code, "updated_at": now, **values}
        if not await repository.insert_platform(session, new):
            # Registered at the same moment by another request: that row's region decides, as for any change.
            platform = await repository.platform_for_update(session, client_id, fresh=True)
            assert platform is not None
    if platform is not None:
        await _authorise(session, admin, client_id, platform, body.region_code)
        platform.region_code = body.region_code or platform.region_code
        platform.updated_at = now
        for name, value in values.items():
            setattr(platform, name, value)
    await repository.retry_pending_now(session, client_id, now)
    return await repository.stored_platform(session, client_id)


def _allowed_url(ctx: Complaints, url: str) -> str:
    try:
        ctx.settings.outbound_policy().check(url)
    except RefusedUrl as exc:
        raise CallbackUrlRefused(
            f"The callback URL may not be used: {exc}",
            errors=[{"loc": ["body", "callback_url"], "msg": str(exc)}],
        ) from None
    return url


async def _authorise(
    session: AsyncSession, admin: Principal, client_id: str, existing: HotlinePlatform | None, claimed: str | None
) -> None:
    """The administrator covers the platform's region as it stands and as it will be; a platform of no known region
    is the whole country's administrator's."""
    if existing is not None:
        _ensure_covers(admin, client_id, existing.region_code)
    _ensure_covers(admin, client_id, claimed or (existing.region_code if existing is not None else None))
    if claimed is not None and await repository.posted_outside(session, client_id, claimed):
        # An administrator cannot take another region's platform by naming their own region for it.
        raise OutsideJurisdiction(f"Hotline platform {client_id} has work orders outside region {claimed}")


def _ensure_covers(admin: Principal, client_id: str, region: str | None) -> None:
    if region is None and admin.region_prefix != "":
        raise OutsideJurisdiction(
            f"Hotline platform {client_id} has no known region: only an administrator of the whole country may set it"
        )
    if region is not None and not admin.covers(region):
        raise OutsideJurisdiction(f"Hotline platform {client_id} is outside your jurisdiction {admin.region_prefix}")
