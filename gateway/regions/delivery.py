"""Region names, delivered from the gateway to every service (libs.kernel.region_names; issue 22).

Why the gateway pushes the names rather than each service asking for them: the services never call the gateway (it
calls them), and a service prints a decision or streams a ledger from its own schema, so printing never waits on
the gateway and never fails because it is down. The delivery works as the training clock's (gateway.clock.delivery):

- every new or changed name takes the next revision of a sequence (gateway.regions.models);
- the gateway keeps, per service, the highest revision that service acknowledged (`region_name_cursors`);
- a loop in every gateway process sends each service the names past its cursor, in revision order, in batches, and
  moves the cursor when the service answers 200. Naming a region wakes the loop at once, after the commit.

A service keeps a name unless it holds a later revision of it, so a batch sent twice, or by two gateway replicas at
once, changes nothing. When nothing was named, the loop costs one small read every `poll_seconds`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import httpx
import structlog
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from gateway.regions.models import Region, RegionNameCursor
from gateway.upstream_transport import put_to_service
from libs.contracts.staff import StaffRole
from libs.kernel.auth import InternalTokens, Principal, PrincipalKind
from libs.kernel.db import Database
from libs.kernel.listening import repeat
from libs.kernel.region_names import MAX_DELIVERED

NAMES_PATH = "/internal/v1/region-names"
# The services take the names from the gateway acting for the whole country (libs.kernel.region_names checks it).
DELIVERER = Principal(
    subject="gateway:region-names",
    kind=PrincipalKind.staff,
    name="gateway",
    region_prefix="",
    roles=frozenset({StaffRole.system_admin.value}),
    display_name="区划名称同步",
)
_log = structlog.get_logger("gateway.regions")


@dataclass
class RegionNameDeliveries:
    db: Database
    http: httpx.AsyncClient
    upstreams: dict[str, str]  # service name → base URL
    signer: InternalTokens
    poll_seconds: float
    batch: int = MAX_DELIVERED
    _wake: asyncio.Event = field(default_factory=asyncio.Event)

    def wake(self) -> None:
        """Deliver now rather than at the next poll (a region was just named and committed)."""
        self._wake.set()

    async def deliver(self) -> dict[str, int]:
        """Send every service the names past its cursor; returns each service's cursor afterwards."""
        async with self.db.sessions() as session:
            newest = int(await session.scalar(select(func.coalesce(func.max(Region.revision), 0))) or 0)
            cursors = {
                str(c.service): int(c.delivered_revision) for c in await session.scalars(select(RegionNameCursor))
            }
        due = [name for name in self.upstreams if cursors.get(name, 0) < newest]
        reached = await asyncio.gather(*(self._catch_up(name, cursors.get(name, 0), newest) for name in due))
        cursors.update(zip(due, reached, strict=True))
        return {name: cursors.get(name, 0) for name in self.upstreams}

    async def _catch_up(self, service: str, cursor: int, newest: int) -> int:
        while cursor < newest:
            async with self.db.sessions() as session:
                rows = (
                    await session.execute(
                        select(Region.code, Region.name, Region.revision)
                        .where(Region.revision > cursor)
                        .order_by(Region.revision)
                        .limit(self.batch)
                    )
                ).all()
            if not rows:
                return cursor
            names = [{"code": code, "name": name, "revision": revision} for code, name, revision in rows]
            if not await self._put(service, names):
                return cursor
            cursor = int(rows[-1].revision)
            await self._advance(service, cursor)
        return cursor

    async def _put(self, service: str, names: list[dict[str, object]]) -> bool:
        url, token = f"{self.upstreams[service]}{NAMES_PATH}", self.signer.sign(DELIVERER)
        return await put_to_service(
            self.http, service, url, {"names": names}, token, log=_log, event="region_names.delivery"
        )

    async def _advance(self, service: str, revision: int) -> None:
        async with self.db.sessions.begin() as session:
            await session.execute(
                insert(RegionNameCursor)
                .values(service=service, delivered_revision=revision)
                .on_conflict_do_update(
                    index_elements=[RegionNameCursor.service],
                    set_={"delivered_revision": revision, "delivered_at": func.now()},
                    where=RegionNameCursor.delivered_revision < revision,
                )
            )

    async def run(self, stop: asyncio.Event) -> None:
        await repeat(self.deliver, stop, self.poll_seconds, log=_log, failed="region_names.delivery_loop_failed",
                     wake=self._wake)  # fmt: skip
