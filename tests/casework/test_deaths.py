"""Deaths from any source (DOMAIN.md §4, §5): a stop for a death takes effect from the month after the death and never
earlier; a death staff record (village report, home visit) goes out as the same `death-detected` a registry sends,
opening the household's death review once whichever source comes first."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from libs.contracts.events.base import PersonRef
from libs.contracts.events.matching import DeathDetected
from libs.contracts.staff import StaffRole
from services.casework.case.models import Case
from tests.casework.flows import CASES, officers, recipient_household
from tests.casework.support import (
    Broker,
    CaseworkApi,
    Person,
    event,
    family,
    investigation_body,
    new_county,
    new_village,
    staff,
)

HOUSEHOLDS = "/api/v1/casework/households"


async def _alone(api: CaseworkApi) -> tuple[Broker, str, str, str, Person]:
    """A one-person recipient household, paid from 2026-04; the clock on 2026-06-10."""
    broker, county = Broker(api), new_county()
    village = new_village(county)
    [person] = family(size=1)
    household_id, _ = await recipient_household(api, broker, county, village, [person], wages="0.00")
    api.clock.set_day(date(2026, 6, 10))
    return broker, county, village, household_id, person


async def _death_cases(api: CaseworkApi, household_id: str) -> list[Case]:
    async with api.db.sessions() as s:
        stmt = select(Case).where(Case.household_id == household_id, Case.trigger == "death")
        return list((await s.scalars(stmt)).all())


async def _registry_death(broker: Broker, person: Person, household_id: str, died_on: date) -> None:
    payload = DeathDetected(
        person=PersonRef(id_number=person.id_number, name=person.name),
        death_date=died_on,
        source="death",
        feed_id="feed-health",
        household_ids=(household_id,),
        detected_at=datetime(2026, 6, 9, tzinfo=UTC),
    )
    await broker.deliver(event(payload, f"household/{household_id}", source="matching"))


async def _investigated(api: CaseworkApi, case_id: str, village: str) -> None:
    township, _ = officers(village, "")
    r = await api.post(f"{CASES}/{case_id}/investigations", township, investigation_body(api.clock().date()))
    assert r.status_code == 201, r.text


async def _propose(api: CaseworkApi, case_id: str, village: str, **extra: Any) -> Any:
    township, _ = officers(village, "")
    return await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "stopped", "reasons": ["死亡"], **extra})


async def test_a_stop_for_a_death_takes_the_month_after_the_death(api: CaseworkApi) -> None:
    broker, county, village, household_id, person = await _alone(api)
    await _registry_death(broker, person, household_id, date(2026, 4, 20))
    [case] = await _death_cases(api, household_id)
    await _investigated(api, case.id, village)
    r = await _propose(api, case.id, village)
    assert r.status_code == 200, r.text
    assert r.json()["proposal"]["effective_month"] == "2026-05"
    r = await api.post(f"{CASES}/{case.id}/decision", staff(StaffRole.county_officer, county), {"decision": "confirm"})
    assert r.status_code == 200, r.text
    # Not the month after the decision (2026-07): what was paid for May and June is recovered by disbursement.
    assert (r.json()["outcome"], r.json()["effective_month"]) == ("stopped", "2026-05")
    ents = await api.outbox_events(subject=f"household/{household_id}", event_type="entitlement-changed")
    assert (ents[-1].data["status"], ents[-1].data["effective_from"]) == ("stopped", "2026-05")


async def test_a_stop_month_before_the_month_after_the_death_is_refused_and_changes_nothing(api: CaseworkApi) -> None:
    broker, _, village, household_id, person = await _alone(api)
    await _registry_death(broker, person, household_id, date(2026, 4, 20))
    [case] = await _death_cases(api, household_id)
    await _investigated(api, case.id, village)
    r = await _propose(api, case.id, village, effective_month="2026-04")
    assert r.status_code == 422, r.text
    assert (r.json()["code"], r.json()["errors"][0]["loc"]) == ("stop_before_death", ["body", "effective_month"])
    township, _ = officers(village, "")
    seen = (await api.get(f"{CASES}/{case.id}", township)).json()
    assert (seen["status"], seen["proposed_outcome"], seen["proposal"]) == ("township_review", None, None)
    # A later month stands: the county may stop later than the death (disbursement holds from the death anyway).
    r = await _propose(api, case.id, village, effective_month="2026-07")
    assert r.status_code == 200, r.text
    assert r.json()["proposal"]["effective_month"] == "2026-07"


async def test_a_death_the_village_reports_is_published_as_death_detected_and_reviewed_once(api: CaseworkApi) -> None:
    broker, _, village, household_id, person = await _alone(api)
    assistant = staff(StaffRole.village_assistant, village)
    body = {"id_number": person.id_number, "death_date": "2026-05-03", "source": "village_report", "note": "邻居告知"}
    r = await api.post(f"{HOUSEHOLDS}/{household_id}/deaths", assistant, body)
    assert r.status_code == 201, r.text
    recorded = r.json()
    assert (recorded["created"], recorded["death_date"], recorded["source"]) == (True, "2026-05-03", "village_report")
    [published] = await api.outbox_events(subject=f"household/{household_id}", event_type="death-detected")
    assert published.source == "casework"
    data = published.data
    # The identity number is what disbursement holds by (CONTRACTS.md §6: person); the note stays in the case.
    assert data["person"] == {"id_number": person.id_number, "name": person.name}
    expected = ("2026-05-03", "village_report", [household_id])
    assert (data["death_date"], data["source"], data["household_ids"]) == expected
    assert data["feed_id"] == f"casework:{recorded['case_id']}"
    assert "邻居告知" not in str(data)
    # The same death again: from the staff, from casework's own event coming back, from the registry: one review.
    again = await api.post(f"{HOUSEHOLDS}/{household_id}/deaths", assistant, body)
    assert (again.status_code, again.json()["case_id"], again.json()["created"]) == (200, recorded["case_id"], False)
    await broker.deliver(published)
    await _registry_death(broker, person, household_id, date(2026, 5, 3))
    assert [c.id for c in await _death_cases(api, household_id)] == [recorded["case_id"]]
    assert len(await api.outbox_events(subject=f"household/{household_id}", event_type="death-detected")) == 1
    # Its stop takes the month after the recorded death.
    await _investigated(api, recorded["case_id"], village)
    r = await _propose(api, recorded["case_id"], village)
    assert r.json()["proposal"]["effective_month"] == "2026-06"


async def test_a_death_record_outside_the_jurisdiction_in_the_future_or_of_a_stranger_is_refused(
    api: CaseworkApi,
) -> None:
    _, county, village, household_id, person = await _alone(api)
    path = f"{HOUSEHOLDS}/{household_id}/deaths"
    good = {"id_number": person.id_number, "death_date": "2026-05-03", "source": "home_visit"}
    elsewhere = staff(StaffRole.township_officer, new_village(new_county())[:9])
    r = await api.post(path, elsewhere, good)
    assert r.status_code == 403, r.text
    township, _ = officers(village, county)
    refused = [
        ({**good, "death_date": "2026-06-11"}, "death_in_future"),
        ({**good, "id_number": family(size=1)[0].id_number}, "not_a_member"),
        ({**good, "source": "rumour"}, None),
        ({**good, "death_date": "1899-12-31"}, None),
        ({**good, "note": "x" * 2001}, None),
    ]
    for body, code in refused:
        r = await api.post(path, township, body)
        assert r.status_code == 422, (body, r.text)
        if code is not None:
            assert r.json()["code"] == code
    assert (await api.post(f"{HOUSEHOLDS}/no-such-household/deaths", township, good)).status_code == 404
    async with api.db.sessions() as s:
        opened = await s.scalar(select(func.count()).select_from(Case).where(Case.household_id == household_id))
    assert opened == 1  # the application's case only
    assert await api.outbox_events(subject=f"household/{household_id}", event_type="death-detected") == []
