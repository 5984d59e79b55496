"""What an administrator does with accounts, the same for staff users and partner clients: list them, read one, and
the four acts (gateway.auth.accounts): cut it off, let it back, unlock it, sign it out everywhere. `admin_router`
mounts these routes once for each kind, with the words each kind's routes are documented in.

No `from __future__ import annotations` here: the routes are built in a function, and FastAPI must read the path
parameter's annotation, made for the kind at hand, as an object rather than as a name to look up in this module.
"""

from collections.abc import Awaitable, Callable, Sequence
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
from libs.kernel.pagination import Cursor, Limit, Page, decode_cursor, page_of

Out = TypeVar("Out", bound=BaseModel)
RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
Responses = dict[int | str, dict[str, Any]]


class Act(Protocol[Account]):
    """An act on an account found by its id (gateway.auth.accounts), done by the administrator and recorded."""

    def __call__(self, rt: Runtime, session: AsyncSession, admin: Principal, in_reach: InReach[Account],
                 account_id: str, *, reason: str, request_id: str | None) -> Awaitable[Account]: ...  # fmt: skip


@dataclass(frozen=True)
class Docs:
    """What each route says it does, for one kind of account."""

    listed: str
    one: str
    deactivate: str
    reactivate: str
    unlock: str
    revoke_tokens: str


@dataclass(frozen=True)
class AccountKind(Generic[Account, Out]):
    """One kind of account as its routes name, find and show it."""

    noun: str  # "user": the routes' names (`list_users`, `deactivate_user`), their paths `/users/{user_id}`
    listing: Callable[[AsyncSession, Principal, str | None, int], Awaitable[Sequence[Account]]]  # after a key, limit
    key: Callable[[Account], str]  # what the listing is ordered by, and its cursor holds
    find: InReach[Account]  # inside the administrator's jurisdiction, else the kind's 404
    present: Callable[[Account], Out]
    out: type[Out]
    page: type[Page[Out]]  # `Page[out]`, as a listing answers
    docs: Docs
    bad_cursor: Responses  # what the listing may answer besides success
    responses: Responses  # what reading one and every act may answer besides success
    deactivate_responses: Responses  # and what deactivating may answer too


def mount_account_routes(router: APIRouter, kind: AccountKind[Account, Out]) -> None:
    """The routes of `kind` on `router`: its listing, one account, deactivate, reactivate, unlock, revoke tokens."""
    noun, docs = kind.noun, kind.docs
    id_name = f"{noun}_id"
    path = f"/{noun}s/{{{id_name}}}"
    AccountId = Annotated[str, Path(alias=id_name, max_length=64)]

    async def listed(session: DbSession, admin: AdminCaller, cursor: Cursor = None, limit: Limit = 100) -> Page[Out]:
        after = decode_cursor(cursor)
        rows = await kind.listing(session, admin.principal, str(after[0]) if after else None, limit)
        return page_of(rows, limit, key=lambda account: [kind.key(account)], item=kind.present)

    async def one(account_id: AccountId, session: DbSession, admin: AdminCaller) -> Out:
        return kind.present(await kind.find(session, admin.principal, account_id, False))

    router.add_api_route(f"/{noun}s", listed, methods=["GET"], name=f"list_{noun}s", description=docs.listed,
                         response_model=kind.page, responses=kind.bad_cursor)  # fmt: skip
    router.add_api_route(path, one, methods=["GET"], name=f"get_{noun}", description=docs.one,
                         response_model=kind.out, responses=kind.responses)  # fmt: skip

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

    deactivate = acting(partial(accounts.set_active, active=False))
    reactivate = acting(partial(accounts.set_active, active=True))
    revoke_tokens = acting(accounts.revoke_tokens)
    routes: tuple[tuple[str, str, Callable[..., Awaitable[Out]], str, Responses], ...] = (
        ("deactivate", f"deactivate_{noun}", deactivate, docs.deactivate, kind.deactivate_responses),
        ("reactivate", f"reactivate_{noun}", reactivate, docs.reactivate, {}),
        ("unlock", f"unlock_{noun}", unlock, docs.unlock, {}),
        ("revoke-tokens", f"revoke_{noun}_tokens", revoke_tokens, docs.revoke_tokens, {}),
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
