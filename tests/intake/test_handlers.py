"""Intake's event handlers through the real inbox, every event delivered twice (STYLE.md, CONTRACTS.md §6).

Records are built by hand as the broker would deliver them and fed to `EventConsumer.process` of the consumers
`services/intake/subscriptions.py` wires, on the session's real database: the inbox row, the handler's writes and
the outbox commit together, and a redelivery (same event id) changes nothing.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from libs.contracts.events.base import EventPayload, MemberRef
from libs.contracts.events.casework import (
    CaseDecided,
    CaseOutcome,
    EntitlementChanged,
    EntitlementStatus,
    HouseholdChange,
    HouseholdChanged,
    HouseholdChangeKind,
    HouseholdSnapshot,
)
from libs.contracts.events.complaints import Contact, HelpRequested
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from libs.kernel.events import CloudEvent, new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from libs.kernel.service import Runtime
from services.intake.db import tables
from services.intake.definition import DEFINITION as INTAKE
from services.intake.recipients.models import RecipientHousehold, RecipientMember, RecipientProgram
from tests.intake.support import (
    IntakeApi,
    application_body,
    entitlement_changed,
    fresh_id,
    member,
    new_village,
    staff,
)
from tests.support.delivery import Consumers

APPS = "/api/v1/intake/applications"
LEADS = "/api/v1/intake/leads"
_COUNTIES = iter(f"65{n:04d}" for n in random.sample(range(1000, 10000), 200))


def fresh_county() -> str:
    return next(_COUNTIES)


class Broker:
    """Delivers events to intake's real consumers, as the broker would after a redelivery: same id, later offset."""

    def __init__(self, api: IntakeApi) -> None:
        settings = INTAKE.settings()
        self.api = api
        self.vault = PiiVault(settings.pii_key.get_secret_value())
        runtime = Runtime(INTAKE, settings, api.db, Outbox(tables.outbox, settings))
        self.consumers = Consumers(api.db, tables, settings, INTAKE.subscriptions(runtime))

    async def deliver(self, event: CloudEvent, times: int = 2) -> None:
        await self.consumers.deliver(event, times)

    async def inbox_and_dead_letters(self, events: Iterable[CloudEvent]) -> tuple[list[str], list[str]]:
        """Inbox rows and dead letters for `events`: one inbox row each and no dead letter is a clean delivery."""
        ids = [e.id for e in events]
        async with self.api.db.sessions() as s:
            inbox = (await s.scalars(select(tables.inbox.c.event_id).where(tables.inbox.c.event_id.in_(ids)))).all()
            dead = tables.dead_letters
            parked = (await s.scalars(select(dead.c.event_id).where(dead.c.event_id.in_(ids)))).all()
        return sorted(inbox), [str(p) for p in parked]


def event(payload: EventPayload, subject: str, source: str = "casework") -> CloudEvent:
    return new_event(payload.event_type, source=source, subject=subject, data=payload)


async def accepted_application(api: IntakeApi, village: str, **overrides: Any) -> str:
    api.clock.set_day(date(2026, 3, 2))
    officer = staff(StaffRole.township_officer, village[:9])
    created = await api.post(APPS, officer, application_body(village, **overrides))
    assert created.status_code == 201, created.text
    app_id: str = created.json()["application_id"]
    for step in ("submit", "accept"):
        assert (await api.post(f"{APPS}/{app_id}/{step}", officer)).status_code == 200
    return app_id


def decided(app_id: str | None, outcome: CaseOutcome = CaseOutcome.APPROVED) -> CaseDecided:
    return CaseDecided(
        case_id=f"case-{uuid.uuid4()}",
        application_id=app_id,
        program=Program.DIBAO,
        outcome=outcome,
        reasons=("家庭人均收入低于当地低保标准",),
        effective_month="2026-05",
        decided_at=datetime(2026, 4, 20, 10, 0, tzinfo=UTC),
    )


# ---- case-decided ------------------------------------------------------------------------------------------------


async def test_case_decided_closes_an_accepted_application_once(api: IntakeApi) -> None:
    broker = Broker(api)
    village = new_village(fresh_county())
    app_id = await accepted_application(api, village)
    decision = decided(app_id)
    first = event(decision, f"application/{app_id}")

    await broker.deliver(first)

    shown = (await api.get(f"{APPS}/{app_id}", staff(StaffRole.township_officer, village[:9]))).json()
    assert shown["status"] == "decided"
    assert shown["decision"] == {
        "case_id": decision.case_id,
        "outcome": "approved",
        "reasons": ["家庭人均收入低于当地低保标准"],
        "effective_month": "2026-05",
        "decided_at": "2026-04-20T10:00:00Z",
    }
    assert [h["action"] for h in shown["history"]] == ["created", "submitted", "accepted", "decided"]
    assert shown["history"][-1]["actor"] == "casework"
    assert await broker.inbox_and_dead_letters([first]) == ([first.id], [])

    # A second, different decision (a new event) is recorded but does not overwrite the first.
    second = event(decided(app_id, CaseOutcome.REJECTED), f"application/{app_id}")
    await broker.deliver(second)
    shown = (await api.get(f"{APPS}/{app_id}", staff(StaffRole.township_officer, village[:9]))).json()
    assert (shown["status"], shown["decision"]["case_id"]) == ("decided", decision.case_id)
    assert [h["action"] for h in shown["history"]][3:] == ["decided", "decision_received"]
    assert [e.type for e in await api.outbox_events(f"application/{app_id}")] == ["application-submitted"]


async def test_case_decided_for_a_withdrawn_application_is_recorded_but_not_applied(api: IntakeApi) -> None:
    broker = Broker(api)
    village = new_village(fresh_county())
    officer = staff(StaffRole.township_officer, village[:9])
    app_id = await accepted_application(api, village)
    withdrawn = await api.post(f"{APPS}/{app_id}/withdraw", officer, {"reason": "申请人撤回"})
    assert withdrawn.status_code == 200
    decision = decided(app_id)
    delivered = event(decision, f"application/{app_id}")

    await broker.deliver(delivered)

    shown = (await api.get(f"{APPS}/{app_id}", officer)).json()
    assert (shown["status"], shown["decision"], shown["withdrawal_reason"]) == ("withdrawn", None, "申请人撤回")
    received = [h for h in shown["history"] if h["action"] == "decision_received"]
    assert len(received) == 1
    assert (received[0]["status"], received[0]["note"]) == ("withdrawn", "not applied: application is withdrawn")
    assert received[0]["detail"]["case_id"] == decision.case_id
    assert await broker.inbox_and_dead_letters([delivered]) == ([delivered.id], [])


async def test_case_decided_without_a_known_application_is_consumed_and_ignored(api: IntakeApi) -> None:
    broker = Broker(api)
    review = event(decided(None, CaseOutcome.CONTINUED), f"household/hh-{uuid.uuid4()}")
    unknown = event(decided(str(uuid.uuid4())), "application/unknown")

    await broker.deliver(review)
    await broker.deliver(unknown)

    assert await broker.inbox_and_dead_letters([review, unknown]) == (sorted([review.id, unknown.id]), [])


# ---- help-requested ----------------------------------------------------------------------------------------------


async def test_help_requested_makes_one_hotline_lead_per_complaint(api: IntakeApi) -> None:
    broker = Broker(api)
    village = new_village(fresh_county())
    id_number = fresh_id(date(1949, 12, 1))
    request = HelpRequested(
        complaint_id=f"cp-{uuid.uuid4()}",
        work_order_no="WO-20261123-0001",
        person=Contact(name="周大娘", id_number=id_number, phone="13900000000", address="幸福村3组"),
        region_code=village,
        need="独居老人，冬季取暖困难",
        requested_at=datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
    )
    first = event(request, f"person/{uuid.uuid4().hex}", source="complaints")
    resent = event(request, first.subject or "", source="complaints")  # the producer sent it again: a new id

    await broker.deliver(first)
    await broker.deliver(resent)

    officer = staff(StaffRole.township_officer, village[:9])
    items = (await api.get(LEADS, officer, {"region_code": village})).json()["items"]
    assert [(i["source"], i["source_ref"], i["kind"], i["status"]) for i in items] == [
        ("hotline", request.complaint_id, "help_request", "open")
    ]
    # The wired consumers run on the real clock (the subscriptions build their own context), so the due date is
    # left to the lead tests, which fix the clock.
    assert items[0]["name"] == "周*娘"
    shown = (await api.get(f"{LEADS}/{items[0]['lead_id']}", officer)).json()
    assert shown["contact"] == {
        "name": "周大娘",
        "id_number_masked": id_number[:6] + "********" + id_number[14:],
        "phone": "13900000000",
        "address": "幸福村3组",
    }
    assert shown["detail"] == "[WO-20261123-0001] 独居老人，冬季取暖困难"
    assert await broker.inbox_and_dead_letters([first, resent]) == (sorted([first.id, resent.id]), [])


# ---- entitlement-changed, household-changed: who is a recipient ---------------------------------------------------


def entitlement(
    household_id: str, region: str, ids: list[str], status: EntitlementStatus, at: datetime
) -> EntitlementChanged:
    return entitlement_changed(household_id, region, ids, status, at)


def household(household_id: str, region: str, ids: list[str], at: datetime, **more: Any) -> HouseholdChanged:
    return HouseholdChanged(
        household=HouseholdSnapshot(
            household_id=household_id,
            region_code=region,
            members=tuple(MemberRef(id_number=i, name="吴国强", relation="head") for i in ids),
            **more,
        ),
        changes=(HouseholdChange(kind=HouseholdChangeKind.MEMBER_REMOVED),),
        changed_at=at,
    )


async def projection(broker: Broker, household_id: str) -> tuple[bool, set[str], dict[str, str]]:
    """(closed, member hashes, program → status) of a household in intake's recipient projection."""
    async with broker.api.db.sessions() as s:
        row = await s.get(RecipientHousehold, household_id)
        assert row is not None
        where = RecipientMember.household_id == household_id
        members = set((await s.scalars(select(RecipientMember.person_hash).where(where))).all())
        programs = (
            await s.execute(
                select(RecipientProgram.program, RecipientProgram.status).where(
                    RecipientProgram.household_id == household_id
                )
            )
        ).all()
    return row.closed, members, {p: st for p, st in programs}


async def test_entitlement_then_household_changes_keep_the_projection_and_ignore_stale_news(api: IntakeApi) -> None:
    broker = Broker(api)
    village = new_village(fresh_county())
    head, spouse, son = (fresh_id(date(y, 5, 5)) for y in (1970, 1972, 1998))
    hh = f"hh-{uuid.uuid4()}"
    t0 = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    subject = f"household/{hh}"
    h = broker.vault.keyed_hash

    await broker.deliver(event(entitlement(hh, village, [head, spouse, son], EntitlementStatus.ACTIVE, t0), subject))
    assert await projection(broker, hh) == (False, {h(head), h(spouse), h(son)}, {"dibao": "active"})

    # The son moved out (newer), then a stale snapshot with him and a stale stop arrive late.
    await broker.deliver(event(household(hh, village, [head, spouse], t0 + timedelta(days=10)), subject))
    await broker.deliver(event(household(hh, village, [head, spouse, son], t0 + timedelta(days=5)), subject))
    stale_stop = entitlement(hh, village, [head], EntitlementStatus.STOPPED, t0 - timedelta(days=1))
    await broker.deliver(event(stale_stop, subject))

    assert await projection(broker, hh) == (False, {h(head), h(spouse)}, {"dibao": "active"})

    closing = event(household(hh, village, [head, spouse], t0 + timedelta(days=20), closed=True), subject)
    await broker.deliver(closing)
    assert await projection(broker, hh) == (True, {h(head), h(spouse)}, {"dibao": "active"})
    inbox, parked = await broker.inbox_and_dead_letters([closing])
    assert (inbox, parked) == ([closing.id], [])


async def test_a_recipient_cannot_apply_for_dibao_again_but_can_for_a_disability_subsidy(api: IntakeApi) -> None:
    broker = Broker(api)
    village = new_village(fresh_county())
    officer = staff(StaffRole.township_officer, village[:9])
    head, spouse = fresh_id(date(1971, 6, 6)), fresh_id(date(1973, 7, 7))
    hh = f"hh-{uuid.uuid4()}"
    at = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)
    await broker.deliver(
        event(entitlement(hh, village, [head, spouse], EntitlementStatus.ACTIVE, at), f"household/{hh}")
    )
    api.clock.set_day(date(2026, 5, 6))

    members = [member(head, "吴国强"), member(spouse, "郑秀兰", "spouse")]
    again = await api.post(APPS, officer, application_body(village, members=members))

    assert (again.status_code, again.json()["code"]) == (409, "person_already_recipient")
    assert again.json()["conflicting_household_id"] == hh
    assert again.json()["errors"][0]["loc"] in (["body", "members", i, "id_number"] for i in (0, 1))
    assert (await api.get(APPS, officer, {"region_code": village})).json()["items"] == []

    disabled = [member(spouse, "郑秀兰", disability_kind="physical", disability_grade=2)]
    subsidy = await api.post(APPS, officer, application_body(village, program="disability_living", members=disabled))
    assert subsidy.status_code == 201, subsidy.text

    # Once casework stops the entitlement, the household may apply for dibao anew.
    stop = entitlement(hh, village, [head, spouse], EntitlementStatus.STOPPED, at + timedelta(days=30))
    await broker.deliver(event(stop, f"household/{hh}"))
    anew = await api.post(APPS, officer, application_body(village, members=[member(head, "吴国强")]))
    assert anew.status_code == 201, anew.text
