"""Administrative acts (`gateway.admin_actions`): who created, cut off, restored, unlocked or reset whom, and why.

Written in the same transaction as the act itself, so an act without its record cannot exist. The record names the
account acted on, never a password or secret.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, String, func, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from gateway.db import Base
from libs.kernel.auth import Principal
from libs.kernel.column_types import SerialKey


class AdminActionKind(StrEnum):
    user_created = "user_created"
    user_deactivated = "user_deactivated"
    user_reactivated = "user_reactivated"
    user_password_reset = "user_password_reset"  # noqa: S105 - the name of an act, not a secret
    user_password_changed = "user_password_changed"  # noqa: S105 - by the user themself
    user_unlocked = "user_unlocked"
    user_tokens_revoked = "user_tokens_revoked"
    client_created = "client_created"
    client_deactivated = "client_deactivated"
    client_reactivated = "client_reactivated"
    client_unlocked = "client_unlocked"
    client_tokens_revoked = "client_tokens_revoked"
    client_callback_changed = "client_callback_changed"
    region_named = "region_named"
    # Created, then refused by complaints' callback policy before its secret was shown: removed again.
    client_withdrawn = "client_withdrawn"
    # The training clock (gateway.clock): moved forward, or back by a stated rewind; target_kind "clock".
    clock_moved = "clock_moved"
    clock_rewound = "clock_rewound"


class AdminAction(Base):
    __tablename__ = "admin_actions"
    __table_args__ = (
        Index("ix_admin_actions_occurred_at", "occurred_at"),
        Index("ix_admin_actions_target", "target_id", "occurred_at"),
        Index("ix_admin_actions_actor", "actor_subject", "occurred_at"),
    )

    id: Mapped[SerialKey]
    occurred_at: Mapped[datetime] = mapped_column(server_default=func.now())
    actor_subject: Mapped[str] = mapped_column(String(128))
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    target_kind: Mapped[str] = mapped_column(String(16))  # "user" | "client"
    target_id: Mapped[str] = mapped_column(String(128))
    target_name: Mapped[str] = mapped_column(String(100))
    # The target's jurisdiction: administrators read back the acts on accounts inside their own.
    region_code: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None]
    detail: Mapped[dict[str, Any]] = mapped_column(server_default="{}")
    request_id: Mapped[str | None] = mapped_column(String(128))


async def record_action(
    session: AsyncSession,
    actor: Principal,
    action: AdminActionKind,
    *,
    target_kind: str,
    target_id: str,
    target_name: str,
    region_code: str,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> None:
    await session.execute(
        insert(AdminAction).values(
            actor_subject=actor.subject,
            actor_name=(actor.display_name or actor.name)[:100],
            action=action.value,
            target_kind=target_kind,
            target_id=target_id,
            target_name=target_name[:100],
            region_code=region_code,
            reason=reason,
            detail=detail or {},
            request_id=request_id,
        )
    )
