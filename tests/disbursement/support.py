"""Disbursement in process against the session's real database: events delivered to the real consumers (twice, as
a redelivery would), the staff and finance APIs called as the gateway forwards them, and builders for households.

Every test works in a county of its own under the fictional province 65, with identity numbers
and account numbers no other test uses.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx

from libs.contracts.events.base import EventPayload, MemberRef, PersonRef
from libs.contracts.events.casework import EntitlementChanged, EntitlementStatus
from libs.contracts.events.intake import SealedBankAccount
from libs.contracts.events.matching import DeathDetected
from libs.contracts.programs import Program
from libs.contracts.staff import Scope
from libs.kernel.auth import Principal
from libs.kernel.events import CloudEvent, new_event
from libs.kernel.service import Runtime
from services.disbursement.context import BANK_ACCOUNT_SEAL_CONTEXT, Disbursement
from services.disbursement.db import tables
from services.disbursement.definition import DEFINITION as DISBURSEMENT
from tests.support import principals
from tests.support.delivery import Consumers, outbox_events
from tests.support.id_numbers import fresh_id_65 as fresh_id
from tests.support.principals import county_officer as officer
from tests.support.principals import staff
from tests.support.principals import township_officer as township
from tests.support.regions import new_county, new_village
from tests.support.service_api import Clock, ServiceApi

# Shared with the other suites; re-exported so disbursement's tests import one module.
__all__ = ["Clock", "fresh_id", "new_county", "new_village", "officer", "staff", "township"]

_accounts = itertools.count(random.randint(10**6, 10**7))


def fresh_account() -> str:
    return f"6222{next(_accounts):015d}"


def finance(region: str = "65") -> Principal:
    return principals.client(Scope.finance, region)


FINANCE = finance()


@dataclass
class DisbursementApi(ServiceApi):
    runtime: Runtime | None = None

    @property
    def ctx(self) -> Disbursement | None:
        """The process's one context (with the test's clock), as its endpoints and consumers see it."""
        if self.runtime is None:
            return None
        ctx = self.runtime.context
        assert isinstance(ctx, Disbursement)
        return ctx

    # Rosters, as a county officer drives them.
    async def build(self, county: str, period: str) -> dict[str, Any]:
        reply = await self.post(
            "/api/v1/disbursement/rosters", officer(county), {"region_code": county, "period": period}
        )
        assert reply.status_code == 201, reply.text
        return dict(reply.json())

    async def act(self, roster: dict[str, Any], action: str, body: Any = None) -> dict[str, Any]:
        path = f"/api/v1/disbursement/rosters/{roster['roster_id']}/{action}"
        reply = await self.post(path, officer(roster["region_code"]), body)
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    async def submitted(self, county: str, period: str) -> dict[str, Any]:
        """Built, locked and submitted: what finance sees."""
        roster = await self.build(county, period)
        await self.act(roster, "lock")
        return await self.act(roster, "submit")

    async def staff_lines(self, roster: dict[str, Any]) -> list[dict[str, Any]]:
        return await self._pages(
            f"/api/v1/disbursement/rosters/{roster['roster_id']}/lines", officer(roster["region_code"])
        )

    # Finance, as CONTRACTS.md §3 has it.
    async def finance_lines(self, roster_id: str, principal: Principal = FINANCE) -> list[dict[str, Any]]:
        return await self._pages(f"/api/v1/finance/rosters/{roster_id}/lines", principal)

    async def finance_csv(self, roster_id: str, principal: Principal = FINANCE) -> httpx.Response:
        return await self.get(f"/api/v1/finance/rosters/{roster_id}/lines.csv", principal)

    async def report(
        self, roster_id: str, results: list[dict[str, Any]], principal: Principal = FINANCE
    ) -> httpx.Response:
        return await self.post(f"/api/v1/finance/rosters/{roster_id}/payment-results", principal, {"results": results})

    async def household(self, household: Household) -> dict[str, Any]:
        reply = await self.get(f"/api/v1/disbursement/households/{household.household_id}", officer(household.county))
        assert reply.status_code == 200, reply.text
        return dict(reply.json())

    async def _pages(self, path: str, principal: Principal) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            reply = await self.get(path, principal, {"limit": 2, **({"cursor": cursor} if cursor else {})})
            assert reply.status_code == 200, reply.text
            items += reply.json()["items"]
            cursor = reply.json()["next_cursor"]
            if cursor is None:
                return items

    async def outbox_events(self, event_type: str | None = None, subject: str | None = None) -> list[CloudEvent]:
        return await outbox_events(self.db, tables, event_type=event_type, subject=subject)


async def month_lines(api: DisbursementApi, county: str, period: str) -> dict[str, dict[str, Any]]:
    """The county's roster for `period`, built and locked (so later months count it as sent): lines by household."""
    roster = await api.build(county, period)
    lines = {line["household_id"]: line for line in await api.staff_lines(roster)}
    await api.act(roster, "lock")
    return lines


def items(line: dict[str, Any]) -> list[tuple[str, str]]:
    """A line's items as (kind, amount)."""
    return [(i["kind"], i["amount"]) for i in line["items"]]


def line_of(lines: list[dict[str, Any]], household: Household) -> dict[str, Any]:
    """The household's one line among `lines`."""
    found = [line for line in lines if line["household_id"] == household.household_id]
    assert len(found) == 1, found
    return found[0]


def paid(line: dict[str, Any], txn: str | None = None) -> dict[str, Any]:
    return {
        "line_id": line["line_id"],
        "status": "paid",
        "paid_at": "2026-12-10T02:00:00Z",
        "bank_txn_id": txn or f"T{line['line_id']}",
    }


def failed(line: dict[str, Any], reason: str = "账户已销户 account closed") -> dict[str, Any]:
    return {"line_id": line["line_id"], "status": "failed", "failure_reason": reason}


def read_csv(body: bytes) -> list[dict[str, str]]:
    assert body.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


class Broker:
    """Delivers events to disbursement's real consumers, as the broker would after a redelivery."""

    def __init__(self, api: DisbursementApi) -> None:
        assert api.ctx is not None
        assert api.runtime is not None
        self.ctx = api.ctx
        self.consumers = Consumers(api.db, tables, DISBURSEMENT.settings(), DISBURSEMENT.subscriptions(api.runtime))

    async def deliver(
        self, payload: EventPayload, subject: str = "test", times: int = 2, *, producer: str | None = None
    ) -> CloudEvent:
        # A death comes from matching unless told (casework publishes the deaths staff record).
        source = producer or ("matching" if isinstance(payload, DeathDetected) else "casework")
        event = new_event(payload.event_type, source=source, subject=subject, data=payload)
        await self.consumers.deliver(event, times)
        return event

    def sealed_account(self, number: str, *, bank: str = "ICBC", holder: str = "王五") -> SealedBankAccount:
        return SealedBankAccount(
            bank_code=bank,
            holder_name=holder,
            account_no_masked=number[:4] + "****" + number[-4:],
            account_no_sealed=self.ctx.seal(number, BANK_ACCOUNT_SEAL_CONTEXT),
        )


def member(id_number: str | None = None, name: str = "王五", relation: str = "head") -> MemberRef:
    return MemberRef(id_number=id_number or fresh_id(), name=name, relation=relation)


@dataclass
class Household:
    household_id: str
    region_code: str
    members: tuple[MemberRef, ...]
    account_no: str
    entitlement_id: str
    program: Program = Program.DIBAO
    account_ref: str = "acct-1"

    @property
    def county(self) -> str:
        return self.region_code[:6]

    @property
    def head(self) -> MemberRef:
        return self.members[0]


async def entitled(
    broker: Broker,
    county: str,
    *,
    amount: str = "560.00",
    effective_from: str = "2026-12",
    effective_to: str | None = None,
    members: int | list[MemberRef] = 1,
    program: Program = Program.DIBAO,
    account_no: str | None = None,
    with_account: bool = True,
    at: datetime | None = None,
) -> Household:
    """A household casework has just decided to pay: `entitlement-changed` with its sealed account."""
    people = (
        tuple(members)
        if isinstance(members, list)
        else tuple(
            member(relation="head" if i == 0 else "child", name="王五" if i == 0 else f"王{i}") for i in range(members)
        )
    )
    household = Household(
        household_id=f"hh-{uuid.uuid4()}",
        region_code=new_village(county),
        members=people,
        account_no=account_no or fresh_account(),
        entitlement_id=f"ent-{uuid.uuid4()}",
        program=program,
    )
    await change(
        broker,
        household,
        amount=amount,
        effective_from=effective_from,
        effective_to=effective_to,
        with_account=with_account,
        at=at,
    )
    return household


async def change(
    broker: Broker,
    household: Household,
    *,
    amount: str = "560.00",
    status: EntitlementStatus = EntitlementStatus.ACTIVE,
    effective_from: str = "2026-12",
    effective_to: str | None = None,
    members: tuple[MemberRef, ...] | None = None,
    with_account: bool = True,
    at: datetime | None = None,
) -> None:
    """A further `entitlement-changed` for the household's entitlement (an adjustment, a gradual-exit step, a stop)."""
    await broker.deliver(
        EntitlementChanged(
            entitlement_id=household.entitlement_id,
            household_id=household.household_id,
            region_code=household.region_code,
            program=household.program,
            status=status,
            monthly_amount=amount,
            effective_from=effective_from,
            effective_to=effective_to,
            payee=PersonRef(id_number=household.head.id_number, name=household.head.name),
            bank_account_ref=household.account_ref if with_account else f"none-{household.household_id}",
            members=members or household.members,
            changed_at=at or datetime.now(UTC),
            payment_account=broker.sealed_account(household.account_no) if with_account else None,
        ),
        subject=f"household/{household.household_id}",
    )


async def died(
    broker: Broker,
    person: MemberRef,
    death_date: date,
    *households: Household,
    source: str = "death",
    producer: str | None = None,
) -> None:
    await broker.deliver(
        DeathDetected(
            person=PersonRef(id_number=person.id_number, name=person.name),
            death_date=death_date,
            source=source,
            feed_id="feed-test" if producer is None else f"{producer}:case-test",
            household_ids=tuple(h.household_id for h in households),
            detected_at=datetime.now(UTC),
        ),
        subject=f"household/{households[0].household_id}",
        producer=producer,
    )
