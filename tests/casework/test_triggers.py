"""Every trigger opens exactly one review (DOMAIN.md §4), however often its event arrives (CONTRACTS.md §6).

Events are delivered twice (a redelivery), and some facts are sent again under a new event id (another feed, a
repeat); the case is keyed by the trigger's own reference, so each fact opens one case. Counts are read straight
from the `cases` table, never from the API, so a duplicate hidden by a list filter would still be seen.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import select

from libs.contracts.events.base import PersonRef
from libs.contracts.events.complaints import ComplaintFinding, ComplaintSubstantiated
from libs.contracts.events.disbursement import OverpaymentDetected, OverpaymentReason, PaymentFailed
from libs.contracts.events.intake import (
    ApplicationDeadlineExtended,
    ApplicationWithdrawn,
    ReviewReason,
    ReviewRequested,
)
from libs.contracts.events.matching import DeathDetected, MatchHitConfirmed
from libs.contracts.programs import Program
from services.casework.case.models import Case, CaseHistory
from tests.casework.flows import CASES, case_of_application, officers, recipient_household
from tests.casework.support import (
    Broker,
    CaseworkApi,
    Person,
    application,
    event,
    family,
    fresh_id,
    new_county,
    new_village,
)

NOW = datetime(2026, 3, 11, 2, tzinfo=UTC)


async def cases_of(api: CaseworkApi, household_id: str, trigger: str) -> list[Case]:
    async with api.db.sessions() as s:
        stmt = select(Case).where(Case.household_id == household_id, Case.trigger == trigger)
        return list((await s.scalars(stmt)).all())


async def history_of(api: CaseworkApi, case_id: str) -> list[CaseHistory]:
    async with api.db.sessions() as s:
        stmt = select(CaseHistory).where(CaseHistory.case_id == case_id).order_by(CaseHistory.id)
        return list((await s.scalars(stmt)).all())


async def recipient(api: CaseworkApi) -> tuple[Broker, str, str, str, list[Person]]:
    """A fresh county, village and approved household: (broker, county, village, household id, members)."""
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    return broker, county, village, household_id, people


def death(person: Person, household_id: str, feed_id: str) -> DeathDetected:
    return DeathDetected(
        person=PersonRef(id_number=person.id_number, name=person.name),
        death_date=date(2026, 3, 5),
        source="death",
        feed_id=feed_id,
        household_ids=(household_id,),
        detected_at=NOW,
    )


def hit(person: Person, household_id: str, hit_id: str) -> MatchHitConfirmed:
    return MatchHitConfirmed(
        hit_id=hit_id,
        rule="vehicle-owner",
        source="vehicle",
        person=PersonRef(id_number=person.id_number, name=person.name),
        household_id=household_id,
        severity="high",
        suggested_action="核实车辆",
        evidence={"plate": "晋D12345"},
        confirmed_at=NOW,
    )


def complaint(village: str, *, household_id: str | None = None, person: Person | None = None) -> ComplaintSubstantiated:
    return ComplaintSubstantiated(
        complaint_id=f"cmp-{uuid.uuid4()}",
        work_order_no=f"GD{uuid.uuid4().hex[:8]}",
        region_code=village,
        household_id=household_id,
        person=PersonRef(id_number=person.id_number, name=person.name) if person else None,
        category="dibao_fraud",
        finding=ComplaintFinding.SUBSTANTIATED,
        summary="举报人反映该户有经营收入",
        substantiated_at=NOW,
    )


async def test_a_death_reported_twice_and_by_another_feed_opens_one_review(api: CaseworkApi) -> None:
    broker, county, village, household_id, people = await recipient(api)
    spouse = people[1]
    first = event(death(spouse, household_id, "feed-civil-affairs"), f"household/{household_id}", source="matching")
    await broker.deliver(first)
    [case] = await cases_of(api, household_id, "death")
    assert (case.status, case.kind) == ("investigating", "triggered")
    assert case.due_date is not None
    assert case.due_date > date(2026, 3, 11)
    assert case.member_count == 3

    # The same death from the hospital feed: another event, the same fact.
    again = event(death(spouse, household_id, "feed-hospital"), f"household/{household_id}", source="matching")
    await broker.deliver(again)
    assert [c.id for c in await cases_of(api, household_id, "death")] == [case.id]
    assert await broker.dead_letters(first) == []
    assert await broker.dead_letters(again) == []

    township, _ = officers(village, county)
    r = await api.get(f"{CASES}/{case.id}", township)
    assert r.status_code == 200, r.text
    seen = r.json()
    assert (seen["trigger"], seen["status"], seen["household_id"]) == ("death", "investigating", household_id)
    assert "2026-03-05" in seen["trigger_summary"]
    assert len(seen["members"]) == 3
    assert all("*" in m["id_number_masked"] for m in seen["members"])
    # The sealed content (identity numbers, the deceased's among them) never reaches the response in clear.
    assert not any(p.id_number in r.text for p in people)
    assert [h["action"] for h in seen["history"]] == ["opened"]


async def test_a_hit_opens_one_review_and_another_hit_another(api: CaseworkApi) -> None:
    broker, _, _, household_id, people = await recipient(api)
    first_id = f"hit-{uuid.uuid4()}"
    await broker.deliver(event(hit(people[0], household_id, first_id), f"hit/{first_id}", source="matching"))
    await broker.deliver(event(hit(people[0], household_id, first_id), f"hit/{first_id}", source="matching"))
    [case] = await cases_of(api, household_id, "hit")
    assert (case.trigger_ref, case.status, case.kind) == (first_id, "investigating", "triggered")

    second_id = f"hit-{uuid.uuid4()}"
    await broker.deliver(event(hit(people[1], household_id, second_id), f"hit/{second_id}", source="matching"))
    cases = await cases_of(api, household_id, "hit")
    assert sorted(c.trigger_ref for c in cases) == sorted([first_id, second_id])


async def test_a_substantiated_complaint_finds_the_household_directly_or_through_a_member(api: CaseworkApi) -> None:
    broker, _, village, household_id, people = await recipient(api)
    direct = complaint(village, household_id=household_id)
    await broker.deliver(event(direct, f"complaint/{direct.complaint_id}", source="complaints"))
    [case] = await cases_of(api, household_id, "complaint")
    assert (case.trigger_ref, case.status) == (direct.complaint_id, "investigating")

    # Only a member's identity number: casework finds the household the person belongs to.
    by_person = complaint(village, person=people[2])
    await broker.deliver(event(by_person, f"complaint/{by_person.complaint_id}", source="complaints"))
    cases = await cases_of(api, household_id, "complaint")
    assert sorted(c.trigger_ref for c in cases) == sorted([direct.complaint_id, by_person.complaint_id])

    # About someone who receives nothing: no case anywhere, and the event is handled, not dead-lettered.
    stranger = Person(fresh_id(date(1980, 1, 1)), "赵六", "head", date(1980, 1, 1))
    outsider = complaint(village, person=stranger)
    outsider_event = event(outsider, f"complaint/{outsider.complaint_id}", source="complaints")
    await broker.deliver(outsider_event)
    async with api.db.sessions() as s:
        opened = (await s.scalars(select(Case.id).where(Case.trigger_ref == outsider.complaint_id))).all()
    assert opened == []
    assert await broker.dead_letters(outsider_event) == []
    assert len(await cases_of(api, household_id, "complaint")) == 2


async def test_a_provincial_warning_takes_the_case_id_intake_allocated(api: CaseworkApi) -> None:
    broker, _, village, household_id, people = await recipient(api)
    case_id = f"case-{uuid.uuid4()}"
    warning = ReviewRequested(
        case_id=case_id,
        household_id=household_id,
        region_code=village,
        person=PersonRef(id_number=people[0].id_number, name=people[0].name),
        reason=ReviewReason.INCOME_DROP,
        detail="收入骤降",
        source="province",
        source_ref=f"warn-{uuid.uuid4().hex[:8]}",
        raised_at=NOW,
    )
    await broker.deliver(event(warning, f"household/{household_id}"))
    [case] = await cases_of(api, household_id, "province_warning")
    assert (case.id, case.status, case.kind) == (case_id, "investigating", "triggered")
    # The warning sent again (a new event id): still the one case under intake's id.
    await broker.deliver(event(warning, f"household/{household_id}"))
    assert [c.id for c in await cases_of(api, household_id, "province_warning")] == [case_id]


async def test_a_failed_payment_and_an_overpayment_each_open_one_review(api: CaseworkApi) -> None:
    broker, _, _, household_id, _ = await recipient(api)
    failed = PaymentFailed(
        roster_id=f"roster-{uuid.uuid4()}",
        line_id=f"line-{uuid.uuid4()}",
        period="2026-04",
        household_id=household_id,
        program=Program.DIBAO,
        amount="1300.00",
        failure_reason="账户已销户",
        failed_at=NOW,
    )
    await broker.deliver(event(failed, f"household/{household_id}", source="disbursement"))
    await broker.deliver(event(failed, f"household/{household_id}", source="disbursement"))
    [case] = await cases_of(api, household_id, "payment_failed")
    assert (case.trigger_ref, case.status) == (failed.line_id, "investigating")

    over = OverpaymentDetected(
        household_id=household_id,
        program=Program.DIBAO,
        months=("2026-04", "2026-05"),
        amount="2600.00",
        reason=OverpaymentReason.PAID_AFTER_DEATH,
        detected_at=NOW,
    )
    await broker.deliver(event(over, f"household/{household_id}", source="disbursement"))
    await broker.deliver(event(over, f"household/{household_id}", source="disbursement"))
    [recovery] = await cases_of(api, household_id, "overpayment")
    assert (recovery.status, recovery.kind) == ("investigating", "triggered")
    assert len(await cases_of(api, household_id, "payment_failed")) == 1

    # Another household overpaid for the same program and months has its own review.
    _, _, _, neighbour, _ = await recipient(api)
    await broker.deliver(event(over.model_copy(update={"household_id": neighbour}), f"household/{neighbour}",
                               source="disbursement"))  # fmt: skip
    assert len(await cases_of(api, neighbour, "overpayment")) == 1
    assert [c.id for c in await cases_of(api, household_id, "overpayment")] == [recovery.id]


async def test_a_trigger_about_an_unknown_household_opens_nothing(api: CaseworkApi) -> None:
    broker = Broker(api)
    unknown = f"hh-{uuid.uuid4()}"
    person = Person(fresh_id(date(1970, 5, 5)), "孙七", "head", date(1970, 5, 5))
    hit_id = f"hit-{uuid.uuid4()}"
    hit_event = event(hit(person, unknown, hit_id), f"hit/{hit_id}", source="matching")
    death_event = event(death(person, unknown, "feed-x"), f"household/{unknown}", source="matching")
    await broker.deliver(hit_event)
    await broker.deliver(death_event)
    async with api.db.sessions() as s:
        opened = (await s.scalars(select(Case.id).where(Case.household_id == unknown))).all()
    assert opened == []
    assert await broker.dead_letters(hit_event) == []
    assert await broker.dead_letters(death_event) == []


async def test_an_application_delivered_twice_opens_one_case(api: CaseworkApi) -> None:
    broker = Broker(api)
    app = application(new_village())
    await broker.deliver(event(app, f"application/{app.application_id}"))
    # Intake's outbox sent it again under a new event id.
    await broker.deliver(event(app, f"application/{app.application_id}"))
    async with api.db.sessions() as s:
        cases = (
            await s.scalars(select(Case).where(Case.trigger == "application", Case.trigger_ref == app.application_id))
        ).all()
    assert [(c.kind, c.status, c.due_date) for c in cases] == [("application", "awaiting_verification", app.due_date)]


def withdrawal(application_id: str) -> ApplicationWithdrawn:
    return ApplicationWithdrawn(application_id=application_id, reason="申请人主动撤回", withdrawn_at=NOW)


async def test_a_withdrawal_before_the_case_opens_cancels_it_on_arrival(api: CaseworkApi) -> None:
    broker = Broker(api)
    app = application(new_village())
    await broker.deliver(event(withdrawal(app.application_id), f"application/{app.application_id}"))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    assert case.status == "cancelled"
    assert [(h.action, h.status_to) for h in await history_of(api, case.id)] == [
        ("opened", "awaiting_verification"),
        ("withdrawn", "cancelled"),
    ]


async def test_a_withdrawal_of_an_open_case_cancels_it(api: CaseworkApi) -> None:
    broker = Broker(api)
    app = application(new_village())
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(withdrawal(app.application_id), f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    assert case.status == "cancelled"
    history = [(h.action, h.status_from, h.status_to, h.detail) for h in await history_of(api, case.id)]
    assert history[-1] == ("withdrawn", "awaiting_verification", "cancelled", "申请人主动撤回")
    assert len(history) == 2


async def test_a_withdrawal_after_the_decision_leaves_the_decision_standing(api: CaseworkApi) -> None:
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    household_id, case_id = await recipient_household(api, broker, county, village)
    async with api.db.sessions() as s:
        decided = await s.get(Case, case_id)
    assert decided is not None
    assert decided.application_id is not None
    await broker.deliver(event(withdrawal(decided.application_id), f"application/{decided.application_id}"))
    case = await case_of_application(api, decided.application_id)
    assert (case.status, case.outcome) == ("decided", "approved")
    history = await history_of(api, case.id)
    # Delivered twice, recorded once: the inbox drops the redelivery.
    assert [h.action for h in history].count("withdrawal_after_decision") == 1
    assert (history[-1].action, history[-1].status_to) == ("withdrawal_after_decision", "decided")
    township, _ = officers(village, county)
    hh = await api.get(f"/api/v1/casework/households/{household_id}", township)
    assert hh.status_code == 200
    assert hh.json()["status"] == "active"


async def test_a_deadline_extended_before_the_application_arrives_applies_when_it_opens(api: CaseworkApi) -> None:
    broker = Broker(api)
    app = application(new_village(), due_date=date(2026, 4, 14))
    extension = ApplicationDeadlineExtended(
        application_id=app.application_id, due_date=date(2026, 5, 8), reason="需补充调查", extended_at=NOW
    )
    await broker.deliver(event(extension, f"application/{app.application_id}"))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    assert (case.status, case.due_date) == ("awaiting_verification", date(2026, 5, 8))
    assert [h.action for h in await history_of(api, case.id)] == ["opened", "deadline_extended"]
