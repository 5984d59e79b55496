"""Administration of hotline platforms' callbacks: `/api/v1/complaints/hotline-platforms` (CONTRACTS.md §2: the
callback URL is configured per client, and pushes are signed with the client's secret).

A callback decides where a platform's results, which name callers and the people they report, are sent from inside
the deployment. So only a system administrator whose jurisdiction covers the platform's region reads or changes it
(the gateway tells its region when it registers a new client), and the URL must pass the outbound policy
(libs/kernel/outbound.py): https in production, no loopback, link-local or private address unless the operator allows
them. It is checked here in form and again, resolved, before every push (push.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr, field_validator
from sqlalchemy import exists, not_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.region import normalise_prefix
from libs.kernel.auth import Principal
from libs.kernel.db import DbSession
from libs.kernel.errors import OutsideJurisdiction
from libs.kernel.outbound import RefusedUrl
from services.complaints.context import PLATFORM_SIGNING_SEAL, Complaints, ComplaintsCtx
from services.complaints.dependencies import Admin
from services.complaints.push.errors import CallbackUrlRefused
from services.complaints.push.models import HotlinePlatform, ResultDelivery
from services.complaints.register.models import Complaint

router = APIRouter(prefix="/api/v1/complaints/hotline-platforms", tags=["hotline platforms"])
ClientId = Annotated[str, Path(min_length=1, max_length=64)]


class PlatformIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    callback_url: AnyHttpUrl = Field(description="Where results are POSTed (https in production, no internal address)")
    client_secret: SecretStr = Field(
        min_length=16, max_length=200, description="The client's secret, shown once by the gateway; signs the pushes"
    )
    region_code: str | None = Field(
        default=None,
        description="The client's jurisdiction prefix (2 to 12 digits), as the gateway created it; kept if omitted",
    )

    @field_validator("region_code")
    @classmethod
    def _prefix(cls, value: str | None) -> str | None:
        if value is None:
            return None
        prefix = normalise_prefix(value)  # ValueError: a 422 naming the field
        if prefix == "":
            raise ValueError("a hotline client's region is a prefix of 2 to 12 digits")
        return prefix


class PlatformOut(BaseModel):
    client_id: str
    region_code: str | None = Field(description="The client's region; null if registered before it was known")
    callback_url: str
    updated_by: str
    updated_at: dt.datetime


def _out(p: HotlinePlatform) -> PlatformOut:
    return PlatformOut(
        client_id=p.client_id,
        region_code=p.region_code,
        callback_url=p.callback_url,
        updated_by=p.updated_by,
        updated_at=p.updated_at,
    )


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
    if claimed is not None and await _posted_outside(session, client_id, claimed):
        # An administrator cannot take another region's platform by naming their own region for it.
        raise OutsideJurisdiction(f"Hotline platform {client_id} has work orders outside region {claimed}")


def _ensure_covers(admin: Principal, client_id: str, region: str | None) -> None:
    if region is None and admin.region_prefix != "":
        raise OutsideJurisdiction(
            f"Hotline platform {client_id} has no known region: only an administrator of the whole country may set it"
        )
    if region is not None and not admin.covers(region):
        raise OutsideJurisdiction(f"Hotline platform {client_id} is outside your jurisdiction {admin.region_prefix}")


async def _posted_outside(session: AsyncSession, client_id: str, region: str) -> bool:
    """Whether the client has posted work orders outside `region`: then `region` is not the client's."""
    outside = exists().where(Complaint.client_id == client_id, not_(Complaint.region_code.startswith(region)))
    return bool(await session.scalar(select(outside)))


@router.put(
    "/{client_id}",
    response_model=PlatformOut,
    responses={
        403: {"description": "Not a system_admin, or the platform's region is outside your jurisdiction"},
        422: {"description": "Invalid body, or callback_url_refused: the URL may not be called"},
    },
)
async def put_platform(
    client_id: ClientId, body: PlatformIn, session: DbSession, ctx: ComplaintsCtx, admin: Admin
) -> PlatformOut:
    """Register (or change) where a hotline client's results go; results waiting for it are tried at once."""
    now = ctx.now()
    values = {
        "callback_url": _allowed_url(ctx, str(body.callback_url)),
        "secret_sealed": ctx.seal(body.client_secret.get_secret_value(), PLATFORM_SIGNING_SEAL),
        "updated_by": admin.subject,
    }
    platform = await session.get(HotlinePlatform, client_id, with_for_update=True)
    if platform is None:
        await _authorise(session, admin, client_id, None, body.region_code)
        inserted = await session.execute(
            pg_insert(HotlinePlatform)
            .values(client_id=client_id, region_code=body.region_code, updated_at=now, **values)
            .on_conflict_do_nothing(index_elements=["client_id"])
            .returning(HotlinePlatform.client_id)
        )
        if inserted.scalar_one_or_none() is None:
            # Registered at the same moment by another request: that row's region decides, as for any change.
            platform = await session.get(HotlinePlatform, client_id, with_for_update=True, populate_existing=True)
            assert platform is not None
    if platform is not None:
        await _authorise(session, admin, client_id, platform, body.region_code)
        platform.region_code = body.region_code or platform.region_code
        platform.updated_at = now
        for name, value in values.items():
            setattr(platform, name, value)
    await session.execute(
        update(ResultDelivery)
        .where(ResultDelivery.client_id == client_id, ResultDelivery.delivered_at.is_(None))
        .values(next_attempt_at=now)
    )
    await session.flush()
    stored = await session.get(HotlinePlatform, client_id, populate_existing=True)
    assert stored is not None
    return _out(stored)


@router.get("", response_model=list[PlatformOut], responses={403: {}})
async def list_platforms(session: DbSession, admin: Admin) -> list[PlatformOut]:
    """The callbacks of the platforms inside your jurisdiction (never the secrets); those of unknown region only to
    the whole country's administrator."""
    stmt = select(HotlinePlatform).order_by(HotlinePlatform.client_id)
    if admin.region_prefix != "":
        stmt = stmt.where(HotlinePlatform.region_code.startswith(admin.region_prefix, autoescape=True))
    return [_out(p) for p in (await session.scalars(stmt)).all()]
