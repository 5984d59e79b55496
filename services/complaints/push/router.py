"""Administration of hotline platforms' callbacks: `/api/v1/complaints/hotline-platforms` (CONTRACTS.md §2: the
callback URL is configured per client, and pushes are signed with the client's secret)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, SecretStr
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from libs.kernel.db import DbSession
from services.complaints.context import SIGNING_KEY_CONTEXT, ComplaintsCtx
from services.complaints.dependencies import Admin
from services.complaints.push.models import HotlinePlatform, ResultDelivery

router = APIRouter(prefix="/api/v1/complaints/hotline-platforms", tags=["hotline platforms"])
ClientId = Annotated[str, Path(min_length=1, max_length=64)]


class PlatformIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    callback_url: AnyHttpUrl = Field(description="Where results are POSTed")
    client_secret: SecretStr = Field(
        min_length=16, max_length=200, description="The client's secret, shown once by the gateway; signs the pushes"
    )


class PlatformOut(BaseModel):
    client_id: str
    callback_url: str
    updated_by: str
    updated_at: dt.datetime


def _out(p: HotlinePlatform) -> PlatformOut:
    return PlatformOut(
        client_id=p.client_id, callback_url=p.callback_url, updated_by=p.updated_by, updated_at=p.updated_at
    )


@router.put("/{client_id}", response_model=PlatformOut, responses={403: {}, 422: {}})
async def put_platform(
    client_id: ClientId, body: PlatformIn, session: DbSession, ctx: ComplaintsCtx, admin: Admin
) -> PlatformOut:
    """Register (or change) where a hotline client's results go; results waiting for it are tried at once."""
    now = ctx.now()
    values = {
        "callback_url": str(body.callback_url),
        "secret_sealed": ctx.seal(body.client_secret.get_secret_value(), SIGNING_KEY_CONTEXT),
        "updated_by": admin.subject,
        "updated_at": now,
    }
    await session.execute(
        pg_insert(HotlinePlatform)
        .values(client_id=client_id, **values)
        .on_conflict_do_update(index_elements=["client_id"], set_=values)
    )
    await session.execute(
        update(ResultDelivery)
        .where(ResultDelivery.client_id == client_id, ResultDelivery.delivered_at.is_(None))
        .values(next_attempt_at=now)
    )
    platform = await session.get(HotlinePlatform, client_id, populate_existing=True)
    assert platform is not None
    return _out(platform)


@router.get("", response_model=list[PlatformOut], responses={403: {}})
async def list_platforms(session: DbSession, admin: Admin) -> list[PlatformOut]:
    """Every registered callback (never the secrets)."""
    rows = (await session.scalars(select(HotlinePlatform).order_by(HotlinePlatform.client_id))).all()
    return [_out(p) for p in rows]
