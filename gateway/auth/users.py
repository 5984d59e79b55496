"""Staff users: creation by an administrator, password login, listing, and the built-in `admin`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth.errors import UsernameTaken
from gateway.auth.errors import WeakPassword as WeakPasswordProblem
from gateway.auth.models import User
from gateway.auth.password_policy import WeakPassword, check_password
from gateway.auth.passwords import SecretHasher
from gateway.auth.schemas import UserCreate, UserOut
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal, PrincipalKind, ensure_jurisdiction
from libs.kernel.presenters import from_row

ADMIN_USERNAME = "admin"


def staff_principal(user: User) -> Principal:
    return Principal(
        subject=str(user.id),
        kind=PrincipalKind.staff,
        name=user.username,
        region_prefix=user.region_code,
        roles=frozenset(user.roles),
        display_name=user.display_name,
    )


def user_out(user: User) -> UserOut:
    return from_row(
        UserOut, user, user_id=str(user.id), roles=sorted(user.roles), reset_pending=user.must_change_password
    )


async def create_user(session: AsyncSession, hasher: SecretHasher, admin: Principal, data: UserCreate) -> User:
    """Create a staff user inside the administrator's own jurisdiction; a taken username is a 409."""
    # Nobody hands out a jurisdiction wider than their own ("" lies inside only "").
    ensure_jurisdiction(admin, data.region_code)
    acceptable_password(data.password, data.username)
    password_hash = await hasher.hash(data.password)
    # ON CONFLICT instead of look-then-insert: two admins creating the same name at once get one 201, one 409.
    created: User | None = await session.scalar(
        insert(User)
        .values(
            username=data.username,
            display_name=data.display_name,
            password_hash=password_hash,
            roles=sorted({r.value for r in data.roles}),
            region_code=data.region_code,
            created_by=admin.subject,
        )
        .on_conflict_do_nothing(index_elements=[User.username])
        .returning(User)
    )
    if created is None:
        raise UsernameTaken(f"The username {data.username!r} is taken")
    return created


async def authenticate_user(session: AsyncSession, hasher: SecretHasher, username: str, password: str) -> User | None:
    """The active user with this password, or None; unknown names cost as much time as wrong passwords."""
    user = await session.scalar(select(User).where(User.username == username.strip().lower()))
    stored = user.password_hash if user is not None and user.is_active else None
    if not await hasher.verify(stored, password) or user is None:
        return None
    if hasher.needs_rehash(user.password_hash):
        await session.execute(update(User).where(User.id == user.id).values(password_hash=await hasher.hash(password)))
    return user


async def active_user(session: AsyncSession, user_id: str) -> User | None:
    """The user with this id if it exists and is active (a refreshed session re-reads roles and region)."""
    try:
        key = uuid.UUID(user_id)
    except ValueError:
        return None
    return await session.scalar(select(User).where(User.id == key, User.is_active.is_(True)))


def acceptable_password(password: str, username: str, *, field: str = "password") -> None:
    """422 `weak_password` naming the rule broken (gateway.auth.password_policy) and the body's `field`."""
    try:
        check_password(password, username=username)
    except WeakPassword as exc:
        raise WeakPasswordProblem(
            str(exc), errors=[{"loc": ["body", field], "msg": str(exc), "type": "weak"}]
        ) from None


async def list_users(session: AsyncSession, admin: Principal, after: str | None, limit: int) -> Sequence[User]:
    """Users inside the administrator's jurisdiction, by username; one more than `limit` tells of a next page."""
    query = select(User).where(User.region_code.startswith(admin.region_prefix, autoescape=True))
    if after is not None:
        query = query.where(User.username > after)
    return (await session.scalars(query.order_by(User.username).limit(limit + 1))).all()


async def ensure_admin(session: AsyncSession, password: str, hasher: SecretHasher | None = None) -> bool:
    """Create `admin` (system_admin, jurisdiction everywhere) unless it exists; True when it was created.

    An existing admin keeps its password: re-running the bootstrap must never undo a change an operator made.
    """
    check_password(password, username=ADMIN_USERNAME)  # WeakPassword is a ValueError: the CLI says which rule
    if await session.scalar(select(User.id).where(User.username == ADMIN_USERNAME)) is not None:
        return False
    password_hash = await (hasher or SecretHasher()).hash(password)
    result = await session.execute(
        insert(User)
        .values(
            username=ADMIN_USERNAME,
            display_name="System administrator",
            password_hash=password_hash,
            roles=[StaffRole.system_admin.value],
            region_code="",
            created_by="bootstrap",
        )
        .on_conflict_do_nothing(index_elements=[User.username])
        .returning(User.id)
    )
    return result.scalar_one_or_none() is not None
