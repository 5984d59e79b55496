"""The four acts an administrator does to an account, the same for a staff user and a partner client: cut it off, let
it back, unlock it, sign it out everywhere (gateway.auth.accounts). `admin_router` mounts them once for each kind,
with the words each kind's routes are documented in.

No `from __future__ import annotations` here: the routes are built in a function, and FastAPI must read the path
parameter's annotation, made for the kind at hand, as an object rather than as a name to look up in this module.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.auth import accounts
from gateway.auth.accounts import Account, InReach
from gateway.auth.dependencies import AdminCaller
from gateway.auth.schemas import AccountAction
from gateway.runtime import Runtime, get_runtime
from libs.kernel.auth import Principal
from libs.kernel.db import DbSession
from libs.kernel.errors import request_id_of

Out = TypeVar("Out", bound=BaseModel)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
Responses = dict[int | str, dict[str, Any]]


class Act(Protocol[Account]):
    """An act on an account found by its id (gateway.auth.accounts), done by the administrator and recorded."""

    def __call__(self, rt: Runtime, session: AsyncSession, admin: Principal, in_reach: InReach[Account],
                 account_id: str, *, reason: str, request_id: str | None) -> Awaitable[Account]: ...  # fmt: skip


@dataclass(frozen=True)
class Acts:
    """What each act's route says it does, for one kind of account."""

    deactivate: str
    reactivate: str
    unlock: str
    revoke_tokens: str


@dataclass(frozen=True)
class AccountKind(Generic[Account, Out]):
    """One kind of account as its routes name, find and show it."""

    noun: str  # "user": the routes' names (`deactivate_user`), under `/{noun}s/{{{noun}_id}}`
    find: InReach[Account]  # inside the administrator's jurisdiction, else the kind's 404
    present: Callable[[Account], Out]
    out: type[Out]
    acts: Acts
    responses: Responses  # what every act may answer besides success
    deactivate_responses: Responses  # and what deactivating may answer too


def mount_account_acts(router: APIRouter, kind: AccountKind[Account, Out]) -> None:
    """The four routes of `kind` on `router`, in the order deactivate, reactivate, unlock, revoke tokens."""
    id_name = f"{kind.noun}_id"
    path = f"/{kind.noun}s/{{{id_name}}}"
    AccountId = Annotated[str, Path(alias=id_name, max_length=64)]

    def acting(act: Act[Account]) -> Callable[..., Awaitable[Out]]:
        async def endpoint(
            account_id: AccountId,
            body: AccountAction,
            request: Request,
            session: DbSession,
            admin: AdminCaller,
            rt: RuntimeDep,
        ) -> Out:
            account = await act(rt, session, admin.principal, kind.find, account_id, reason=body.reason,
                                request_id=request_id_of(request))  # fmt: skip
            return kind.present(account)

        return endpoint

    async def unlock(
        account_id: AccountId, body: AccountAction, request: Request, session: DbSession, admin: AdminCaller
    ) -> Out:
        account = await accounts.unlock(session, admin.principal, kind.find, account_id, reason=body.reason,
                                        request_id=request_id_of(request))  # fmt: skip
        return kind.present(account)

    noun, acts = kind.noun, kind.acts
    deactivate = acting(partial(accounts.set_active, active=False))
    reactivate = acting(partial(accounts.set_active, active=True))
    revoke_tokens = acting(accounts.revoke_tokens)
    routes: tuple[tuple[str, str, Callable[..., Awaitable[Out]], str, Responses], ...] = (
        ("deactivate", f"deactivate_{noun}", deactivate, acts.deactivate, kind.deactivate_responses),
        ("reactivate", f"reactivate_{noun}", reactivate, acts.reactivate, {}),
        ("unlock", f"unlock_{noun}", unlock, acts.unlock, {}),
        ("revoke-tokens", f"revoke_{noun}_tokens", revoke_tokens, acts.revoke_tokens, {}),
    )
    for segment, name, endpoint, description, more in routes:
        router.add_api_route(
            f"{path}/{segment}",
            endpoint,
            methods=["POST"],
            name=name,
            description=description,
            response_model=kind.out,
            responses={**kind.responses, **more},
        )
