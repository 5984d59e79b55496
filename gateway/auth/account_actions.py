"""The four acts an administrator does to an account, the same for a staff user and a partner client: cut it off, let
it back, unlock it, sign it out everywhere (gateway.auth.accounts). `admin_router` mounts them once for each kind,
with the words each kind's routes are documented in.

No `from __future__ import annotations` here: the routes are built in a function, and FastAPI must read the path
parameter's annotation, made for the kind at hand, as an object rather than as a name to look up in this module.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel

from gateway.auth import accounts
from gateway.auth.accounts import Account, InReach
from gateway.auth.dependencies import AdminCaller
from gateway.auth.schemas import AccountAction
from gateway.runtime import Runtime, get_runtime
from libs.kernel.db import DbSession
from libs.kernel.errors import request_id_of

Out = TypeVar("Out", bound=BaseModel)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
Responses = dict[int | str, dict[str, Any]]


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

    def set_active(active: bool) -> Callable[..., Awaitable[Out]]:
        async def endpoint(
            account_id: AccountId,
            body: AccountAction,
            request: Request,
            session: DbSession,
            admin: AdminCaller,
            rt: RuntimeDep,
        ) -> Out:
            account = await accounts.set_active(rt, session, admin.principal, kind.find, account_id, active=active,
                                                reason=body.reason, request_id=request_id_of(request))  # fmt: skip
            return kind.present(account)

        return endpoint

    async def unlock(
        account_id: AccountId, body: AccountAction, request: Request, session: DbSession, admin: AdminCaller
    ) -> Out:
        account = await accounts.unlock(session, admin.principal, kind.find, account_id, reason=body.reason,
                                        request_id=request_id_of(request))  # fmt: skip
        return kind.present(account)

    async def revoke_tokens(
        account_id: AccountId,
        body: AccountAction,
        request: Request,
        session: DbSession,
        admin: AdminCaller,
        rt: RuntimeDep,
    ) -> Out:
        account = await accounts.revoke_tokens(rt, session, admin.principal, kind.find, account_id,
                                               reason=body.reason, request_id=request_id_of(request))  # fmt: skip
        return kind.present(account)

    noun = kind.noun
    routes: tuple[tuple[str, Callable[..., Awaitable[Out]], str, str, Responses], ...] = (
        ("deactivate", set_active(False), f"deactivate_{noun}", kind.acts.deactivate, kind.deactivate_responses),
        ("reactivate", set_active(True), f"reactivate_{noun}", kind.acts.reactivate, {}),
        ("unlock", unlock, f"unlock_{noun}", kind.acts.unlock, {}),
        ("revoke-tokens", revoke_tokens, f"revoke_{noun}_tokens", kind.acts.revoke_tokens, {}),
    )
    for segment, endpoint, name, description, more in routes:
        router.add_api_route(
            f"{path}/{segment}",
            endpoint,
            methods=["POST"],
            name=name,
            description=description,
            response_model=kind.out,
            responses={**kind.responses, **more},
        )
