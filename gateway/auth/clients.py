"""Partner clients (12345 platform, finance, province, registry providers): creation, authentication, listing."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.models import Client
from gateway.auth.passwords import SecretHasher
from gateway.auth.schemas import ClientCreate, ClientCreated, ClientOut
from libs.kernel.auth import Principal, PrincipalKind, ensure_jurisdiction


def client_principal(client: Client, scopes: Iterable[str] | None = None) -> Principal:
    """The client as a principal, optionally narrowed to the scopes it asked for."""
    return Principal(
        subject=client.client_id,
        kind=PrincipalKind.client,
        name=client.name,
        region_prefix=client.region_code,
        scopes=frozenset(client.scopes if scopes is None else scopes),
    )


def client_out(client: Client) -> ClientOut:
    return ClientOut.model_validate(client, from_attributes=True).model_copy(update={"scopes": sorted(client.scopes)})


def client_created(client: Client, secret: str, callback_url: str | None = None) -> ClientCreated:
    """The client with its secret, as creation shows it (and as a callback is registered with)."""
    shown = client_out(client).model_dump()
    if callback_url is not None:
        shown["callback_url"] = callback_url
    return ClientCreated(**shown, client_secret=secret)


async def create_client(
    session: AsyncSession, hasher: SecretHasher, admin: Principal, data: ClientCreate
) -> ClientCreated:
    """Register a partner; the secret is returned here once and stored only as an argon2 hash."""
    ensure_jurisdiction(admin, data.region_code)
    secret = secrets.token_urlsafe(32)
    client = Client(
        client_id=f"jzc_{secrets.token_hex(10)}",
        name=data.name,
        secret_hash=await hasher.hash(secret),
        scopes=sorted({s.value for s in data.scopes}),
        region_code=data.region_code,
        callback_url=str(data.callback_url) if data.callback_url is not None else None,
        created_by=admin.subject,
    )
    session.add(client)
    await session.flush()
    await session.refresh(client)
    return client_created(client, secret)


async def authenticate_client(
    session: AsyncSession, hasher: SecretHasher, client_id: str, secret: str
) -> Client | None:
    """The active client with this secret, or None (same time spent for unknown ids)."""
    client = await session.scalar(select(Client).where(Client.client_id == client_id))
    stored = client.secret_hash if client is not None and client.is_active else None
    if not await hasher.verify(stored, secret) or client is None:
        return None
    if hasher.needs_rehash(client.secret_hash):
        await session.execute(
            update(Client).where(Client.id == client.id).values(secret_hash=await hasher.hash(secret))
        )
    return client


async def list_clients(session: AsyncSession, admin: Principal, after: str | None, limit: int) -> Sequence[Client]:
    query = select(Client).where(Client.region_code.startswith(admin.region_prefix, autoescape=True))
    if after is not None:
        query = query.where(Client.client_id > after)
    return (await session.scalars(query.order_by(Client.client_id).limit(limit + 1))).all()
