"""Provincial sync in tests: households written straight into the registry tables (as the registry's own code
leaves them), queued changes, and a fake provincial system answering over real HTTP (CONTRACTS.md §4)."""

from __future__ import annotations

import contextlib
import itertools
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from libs.contracts.clock import CHINA_TZ
from libs.kernel.outbox import Outbox
from libs.kernel.service import Runtime
from services.casework.context import DETAILS_CONTEXT, ID_NUMBER_CONTEXT, Casework
from services.casework.db import tables
from services.casework.definition import DEFINITION as CASEWORK
from services.casework.province.models import ProvinceChange
from services.casework.province.push import push_pending
from services.casework.province.service import enqueue
from services.casework.registry.models import Entitlement, Household, HouseholdMember
from services.casework.registry.state import load_state
from tests.casework.support import CaseworkApi, Clock, Person, family
from tests.support.loopback_server import serving

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=CHINA_TZ)


def casework(api: CaseworkApi, clock: Clock | None = None, **settings: Any) -> Casework:
    """Casework's context on the test's database, with its own clock and provincial settings."""
    overridden = CASEWORK.settings().with_overrides(**settings)
    runtime = Runtime(CASEWORK, overridden, api.db, Outbox(tables.outbox, overridden))
    return replace(Casework.of(runtime), clock=clock or api.clock)


@dataclass
class Program:
    program: str
    amount_fen: int
    status: str = "active"
    since: date = date(2026, 3, 1)


async def add_household(
    api: CaseworkApi,
    ctx: Casework,
    region: str,
    programs: list[Program],
    people: list[Person] | None = None,
    *,
    closed: bool = False,
    predecessor: str | None = None,
    queue: bool = False,
) -> str:
    """A household with current members and entitlements, as the registry keeps it; queued for the province if asked."""
    now = ctx.now()
    people = people or family()
    household_id = f"hh-{uuid.uuid4().hex[:12]}"
    async with api.db.sessions.begin() as session:
        household = Household(
            id=household_id,
            region_code=region,
            status="closed" if closed else "active",
            head_hash=ctx.hash(people[0].id_number),
            review_class="A",
            next_review_date=None,
            close_relative=False,
            predecessor_id=predecessor,
            version=1,
            created_at=now,
            updated_at=now,
            closed_at=now if closed else None,
        )
        session.add(household)
        await session.flush()
        for p in people:
            session.add(
                HouseholdMember(
                    household_id=household_id,
                    person_hash=ctx.hash(p.id_number),
                    id_number_sealed=ctx.seal(p.id_number, ID_NUMBER_CONTEXT),
                    name=p.name,
                    relation=p.relation,
                    birth_date=p.born,
                    details_sealed=ctx.seal(json.dumps({}, ensure_ascii=False, default=str), DETAILS_CONTEXT),
                    joined_at=now,
                )
            )
        for prog in programs:
            session.add(
                Entitlement(
                    id=f"ent-{uuid.uuid4().hex[:12]}",
                    household_id=household_id,
                    program=prog.program,
                    status=prog.status,
                    monthly_amount_fen=prog.amount_fen,
                    effective_from=f"{prog.since:%Y-%m}",
                    since=prog.since,
                    updated_at=now,
                )
            )
        await session.flush()
        if queue:
            await enqueue(session, ctx, await load_state(session, ctx, household))
    return household_id


async def change_amount(api: CaseworkApi, ctx: Casework, household_id: str, amount_fen: int) -> None:
    """A change of the household's programs, as the registry makes it: new rows, a new version, then queued."""
    async with api.db.sessions.begin() as session:
        household = await session.get_one(Household, household_id, with_for_update=True)
        for ent in await session.scalars(select(Entitlement).where(Entitlement.household_id == household_id)):
            ent.monthly_amount_fen = amount_fen
            ent.updated_at = ctx.now()
        household.version += 1
        household.updated_at = ctx.now()
        await session.flush()
        await enqueue(session, ctx, await load_state(session, ctx, household))


async def queued(api: CaseworkApi, household_ids: list[str]) -> list[ProvinceChange]:
    async with api.db.sessions() as session:
        stmt = select(ProvinceChange).where(ProvinceChange.household_id.in_(household_ids)).order_by(ProvinceChange.id)
        return list((await session.scalars(stmt)).all())


@dataclass
class FakeProvince:
    """The provincial system's `POST /recipients/changes`: answers 503 to the first `failures` requests."""

    url: str = ""
    failures: int = 0
    requests: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    refused: int = 0

    async def changes(self, request: Request) -> JSONResponse:
        body = await request.json()
        if self.refused < self.failures:
            self.refused += 1
            return JSONResponse({"error": "busy"}, status_code=503)
        self.requests.append((dict(request.headers), body))
        return JSONResponse({"accepted": len(body["items"])})

    def received(self, household_ids: list[str]) -> list[dict[str, Any]]:
        """Items of these households accepted, in the order they arrived."""
        return [i for _, body in self.requests for i in body["items"] if i["household_id"] in household_ids]


@contextlib.asynccontextmanager
async def fake_province() -> AsyncIterator[FakeProvince]:
    """A real HTTP server on a free port for the test's duration, in the test's event loop."""
    fake = FakeProvince()
    app = Starlette(routes=[Route("/prov/recipients/changes", fake.changes, methods=["POST"])])
    async with serving(app) as base_url:
        fake.url = f"{base_url}/prov"
        yield fake


# Each pusher starts a day after the last, in a future no other test reaches: every change queued before it (by
# any test, backing off or not) is due at its start, so `drain` can clear them out of this test's batches.
_PUSH_DAYS = itertools.count()


def pusher(api: CaseworkApi, url: str, **settings: Any) -> tuple[Casework, Clock]:
    """Casework's context for pushing to `url` (small batches, 2 s doubling to 16 s), on a clock of its own."""
    clock = Clock(datetime(2031, 1, 6, 9, tzinfo=UTC) + timedelta(days=next(_PUSH_DAYS)))
    values: dict[str, Any] = {
        "province_base_url": url,
        "province_token": "prov-token",
        "province_batch_size": 3,
        "province_retry_min_seconds": 2.0,
        "province_retry_max_seconds": 16.0,
    }
    return casework(api, clock, **(values | settings)), clock


async def push(api: CaseworkApi, ctx: Casework, http: httpx.AsyncClient) -> int:
    async with api.db.sessions.begin() as session:
        return await push_pending(session, ctx, http)


async def drain(api: CaseworkApi, ctx: Casework, http: httpx.AsyncClient) -> None:
    """Deliver every change already due (other tests' leftovers), so the test's batches hold only its own."""
    everything = replace(ctx, settings=ctx.settings.with_overrides(province_batch_size=1_000_000))
    await push(api, everything, http)
