"""Platform diagnostics every service exposes: who am I, and a probe event to prove the event path end to end.

An operator (or a test, or a benchmark) asks one service to publish N `platform-probe` events through its outbox;
every service consumes them into `probe_receipts`, so the path outbox → relay → broker → consumer → inbox is visible
per service without any domain data.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.staff import StaffRole
from libs.kernel.auth import CurrentPrincipal, Principal, ensure_jurisdiction, require_roles
from libs.kernel.consumer import Handler
from libs.kernel.db import DbSession
from libs.kernel.events import CloudEvent, new_event
from libs.kernel.messaging_tables import MessagingTables

PROBE_EVENT_TYPE = "platform-probe"


class WhoAmI(BaseModel):
    subject: str
    kind: str
    name: str
    region_prefix: str
    roles: list[str]
    scopes: list[str]
    service: str


class ProbeRequest(BaseModel):
    count: int = Field(default=1, ge=1, le=10_000)
    probe_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")


class ProbeSent(BaseModel):
    probe_id: str
    count: int


class ProbeReceipts(BaseModel):
    probe_id: str
    received: int
    distinct: int


AdminOnly = Annotated[Principal, Depends(require_roles(StaffRole.system_admin))]


def probe_event(probe_id: str, seq: int, *, source: str, correlation_id: str | None = None) -> CloudEvent:
    """The `seq`-th event of probe `probe_id`, stamped with the time it was made."""
    data = {"probe_id": probe_id, "seq": seq, "sent_at": datetime.now(UTC).isoformat()}
    return new_event(
        PROBE_EVENT_TYPE, source=source, subject=f"probe/{probe_id}", data=data, correlation_id=correlation_id
    )


def diagnostics_router(service: str, tables: MessagingTables) -> APIRouter:
    router = APIRouter(prefix=f"/api/v1/{service}/diagnostics", tags=["diagnostics"])

    @router.get("/whoami", response_model=WhoAmI)
    async def whoami(
        principal: CurrentPrincipal, region_code: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None
    ) -> WhoAmI:
        """The caller as this service sees it; with `region_code`, also checks that region is in its jurisdiction."""
        if region_code is not None:
            ensure_jurisdiction(principal, region_code)
        return WhoAmI(
            subject=principal.subject,
            kind=principal.kind.value,
            name=principal.name,
            region_prefix=principal.region_prefix,
            roles=sorted(principal.roles),
            scopes=sorted(principal.scopes),
            service=service,
        )

    @router.post("/probes", response_model=ProbeSent, status_code=202)
    async def send_probes(body: ProbeRequest, request: Request, session: DbSession, _: AdminOnly) -> ProbeSent:
        """Publish `count` probe events through this service's outbox (system administrators)."""
        runtime = request.app.state.runtime
        probe_id = body.probe_id or uuid.uuid4().hex
        correlation = getattr(request.state, "request_id", None)
        events = [
            (probe_event(probe_id, seq, source=service, correlation_id=correlation), f"{probe_id}:{seq % 16}")
            for seq in range(body.count)
        ]
        await runtime.outbox.add_many(session, events)
        return ProbeSent(probe_id=probe_id, count=body.count)

    @router.get("/probes/{probe_id}", response_model=ProbeReceipts)
    async def probe_receipts(probe_id: str, session: DbSession, _: AdminOnly) -> ProbeReceipts:
        """How many probe events of `probe_id` this service has handled (duplicates would count twice)."""
        t = tables.probe_receipts
        row = (
            await session.execute(
                select(func.count(), func.count(func.distinct(t.c.seq))).where(t.c.probe_id == probe_id)
            )
        ).one()
        return ProbeReceipts(probe_id=probe_id, received=row[0], distinct=row[1])

    return router


def probe_handler(tables: MessagingTables) -> Handler:
    async def handle(session: AsyncSession, event: CloudEvent) -> None:
        data = event.data
        await session.execute(
            insert(tables.probe_receipts).values(
                probe_id=str(data["probe_id"]),
                seq=int(data["seq"]),
                event_id=event.id,
                source=event.source,
                sent_at=datetime.fromisoformat(str(data["sent_at"])),
            )
        )

    return handle
