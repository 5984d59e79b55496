"""Recusal for relatives in casework's close-relative register (DOMAIN.md §7), which matching learns from
`close-relative-filing-changed`: an officer filed as the relative of a member of a hit's household may neither
confirm nor dismiss the hit, and may once the filing is withdrawn. Every event is delivered twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, select

from libs.contracts.events.relatives import CloseRelativeFilingChanged, FilingState
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from services.matching.db import tables
from services.matching.hits.models import Hit
from services.matching.relatives.models import RegisteredRelative
from tests.matching.flow_support import (
    TODAY,
    Place,
    confirmations,
    firm,
    hits_of,
    load,
    new_household_id,
    paid_household,
)
from tests.matching.support import Broker, MatchingApi, fresh_id, member, staff

HITS = "/api/v1/matching/hits"
FILED_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
WITHDRAWN_AT = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


class Register:
    """Casework's register as matching's consumer receives it: each event twice, as after a redelivery."""

    def __init__(self, api: MatchingApi, broker: Broker) -> None:
        self.api, self.broker = api, broker
        self.filing_id = str(uuid.uuid4().int % 10**12)

    async def send(self, who: Principal, relative_id: str, state: FilingState, *, by_user: bool = True) -> None:
        payload = CloseRelativeFilingChanged(
            filing_id=self.filing_id,
            state=state,
            staff_user=who.subject if by_user else None,
            staff_name=who.display_name,
            relative_id_number=relative_id,
            changed_at=FILED_AT if state is FilingState.ACTIVE else WITHDRAWN_AT,
        )
        await self.broker.deliver(payload, subject=f"close-relative/{self.filing_id}", times=2)

    async def rows(self) -> list[tuple[str, datetime | None]]:
        async with self.api.db.sessions() as s:
            stmt = select(RegisteredRelative.filing_id, RegisteredRelative.withdrawn_at).where(
                RegisteredRelative.filing_id == self.filing_id
            )
            return [(f, w) for f, w in (await s.execute(stmt)).all()]


async def _hit_on_the_head(api: MatchingApi, broker: Broker) -> tuple[str, str, Place]:
    """A household of two whose head runs a business: (hit id, the son's identity number, place)."""
    api.clock.set_day(TODAY)
    place = Place.new()
    head, son = fresh_id(), fresh_id()
    await paid_household(
        broker, new_household_id(), place.village, [member(head, "张三丰", "head"), member(son, "李四", "son")]
    )
    await load(api, "business", [firm(head)])
    [hit] = await hits_of(api, head)
    return hit.id, son, place


async def _state(api: MatchingApi, hit_id: str) -> tuple[object, ...]:
    """The hit as stored and the outbox's size: equal before and after means nothing changed."""
    async with api.db.sessions() as s:
        hit = await s.get(Hit, hit_id)
        assert hit is not None
        outbox = int((await s.execute(select(func.count()).select_from(tables.outbox))).scalar_one())
        return hit.status, hit.resolved_by, hit.resolution, outbox


async def test_a_registered_relative_may_not_check_the_households_hit_until_withdrawn(
    api: MatchingApi, broker: Broker
) -> None:
    hit_id, son, place = await _hit_on_the_head(api, broker)
    relative = staff(StaffRole.township_officer, place.township, name="赵红梅")
    register = Register(api, broker)
    # Filed in casework as the son's aunt (a member other than the hit's person): delivered twice, one filing.
    await register.send(relative, son, FilingState.ACTIVE)
    assert await register.rows() == [(register.filing_id, None)]

    before = await _state(api, hit_id)
    for action, body in (("confirm", {"note": "经核实确有经营"}), ("dismiss", {"reason": "执照已吊销"})):
        reply = await api.post(f"{HITS}/{hit_id}/{action}", relative, body)
        assert (reply.status_code, reply.json()["code"]) == (403, "recusal_required"), action
    assert await _state(api, hit_id) == before
    assert await confirmations(api, hit_id) == []
    # Reading stays open to them, as in casework.
    assert (await api.get(f"{HITS}/{hit_id}", relative)).status_code == 200

    # Withdrawn (twice), then the filing redelivered late: it stays withdrawn, and the officer may check the hit.
    await register.send(relative, son, FilingState.WITHDRAWN)
    await register.send(relative, son, FilingState.ACTIVE)
    assert await register.rows() == [(register.filing_id, WITHDRAWN_AT)]
    reply = await api.post(f"{HITS}/{hit_id}/confirm", relative, {"note": "经核实确有经营"})
    assert reply.status_code == 200, reply.text
    assert len(await confirmations(api, hit_id)) == 1


async def test_a_relative_filed_by_name_only_is_refused_and_a_colleague_is_not(
    api: MatchingApi, broker: Broker
) -> None:
    hit_id, son, place = await _hit_on_the_head(api, broker)
    relative = staff(StaffRole.township_officer, place.township, name="孙丽")
    # A filing without a user id is matched on the real name the account carries.
    await Register(api, broker).send(relative, son, FilingState.ACTIVE, by_user=False)
    before = await _state(api, hit_id)
    reply = await api.post(f"{HITS}/{hit_id}/dismiss", relative, {"reason": "执照已吊销"})
    assert (reply.status_code, reply.json()["code"]) == (403, "recusal_required")
    assert await _state(api, hit_id) == before
    colleague = staff(StaffRole.township_officer, place.township, name="周强")
    reply = await api.post(f"{HITS}/{hit_id}/dismiss", colleague, {"reason": "执照已吊销"})
    assert reply.status_code == 200, reply.text


async def test_a_withdrawal_arriving_first_is_kept(api: MatchingApi, broker: Broker) -> None:
    relative = staff(StaffRole.township_officer, Place.new().township, name="吴敏")
    register = Register(api, broker)
    await register.send(relative, fresh_id(), FilingState.WITHDRAWN)
    await register.send(relative, fresh_id(), FilingState.ACTIVE)
    assert await register.rows() == [(register.filing_id, WITHDRAWN_AT)]
