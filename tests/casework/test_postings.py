"""The village posting (公示, DOMAIN.md §3.7, §11): masked names, household size, program and amount only; never an
identity number or an illness, never a child's allowance."""

from __future__ import annotations

from datetime import date

from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from tests.casework.flows import CASES, case_of_application, officers, recipient_household
from tests.casework.support import (
    Broker,
    CaseworkApi,
    Person,
    application,
    event,
    family,
    fresh_id,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    staff,
    verification,
)


async def test_the_posting_shows_proposals_and_recipients_without_private_data(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    await recipient_household(api, broker, county, village, people)
    await set_standards(api, county, orphan_allowance_fen=150000)
    township, _ = officers(village, county)
    # An orphan's allowance in publicity at the same time: it must not appear.
    born = date(2015, 5, 1)
    child = Person(fresh_id(born), "周小兰", "head", born, {"serious_illness": True})
    api.clock.set_day(date(2026, 6, 1))
    orphan = application(village, [child], program=Program.ORPHAN, wages_12_months="0.00")
    await broker.deliver(event(verification(orphan.application_id, [child]), "application", source="matching"))
    await broker.deliver(event(orphan, f"application/{orphan.application_id}"))
    case = await case_of_application(api, orphan.application_id)
    assert (
        await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 6, 1)))
    ).status_code == 201
    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.json()["status"] == "publicity"

    posting = await api.get(f"/api/v1/casework/postings/{village}", staff(StaffRole.village_assistant, village))
    assert posting.status_code == 200, posting.text
    items = posting.json()["items"]
    assert [(i["name_masked"], i["household_size"], i["program"], i["monthly_amount"], i["stage"]) for i in items] == [
        ("王*国", 3, "dibao", "1300.00", "recipient")
    ]
    text = posting.text
    assert all(p.id_number not in text and p.id_number[-6:] not in text for p in [*people, child])
    assert "周" not in text
    assert "illness" not in text

    assert (
        await api.get(f"/api/v1/casework/postings/{village}", staff(StaffRole.village_assistant, new_village()))
    ).status_code == 403
    assert (await api.get("/api/v1/casework/postings/1404", township)).status_code == 422
