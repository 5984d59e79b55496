"""Close relatives of staff (DOMAIN.md §7): declared or detected when a case opens, investigated by the county, and
refused any action by the related staff member (403 `recusal_required`)."""

from __future__ import annotations

from datetime import date

from libs.contracts.events.intake import CloseRelation, CloseRelativeDeclaration, DeclaredRelative
from libs.contracts.staff import StaffRole
from tests.casework.flows import CASES, case_of_application, officers, recipient_household
from tests.casework.support import (
    Broker,
    CaseworkApi,
    application,
    event,
    family,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    staff,
    verification,
)

REGISTER = "/api/v1/casework/close-relatives"


async def test_an_undeclared_relative_is_detected_when_the_case_opens(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000)
    people = family()
    related = staff(StaffRole.township_officer, village[:9], name="赵六")
    filing = {
        "staff_user": related.subject,
        "staff_name": "赵六",
        "staff_unit": "某镇民政办",
        "staff_region": village[:9],
        "relative": {"id_number": people[1].id_number, "name": people[1].name},
        "relation": "sibling",
    }
    assert (await api.post(REGISTER, staff(StaffRole.county_officer, county), filing)).status_code == 201
    app = application(village, people)  # nothing declared
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    assert (case.close_relative_declared, case.close_relative_detected, case.county_investigation) == (
        False,
        True,
        True,
    )

    refused = await api.post(f"{CASES}/{case.id}/investigations", related, investigation_body(date(2026, 3, 2)))
    assert refused.status_code == 403
    assert refused.json()["code"] == "recusal_required"
    # Another township officer may not do it either: the county investigates close-relative cases.
    township, county_officer = officers(village, county)
    r = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    assert r.status_code == 403
    assert r.json()["code"] == "county_investigation_required"
    # Nor may the related officer take part as an investigator.
    body = investigation_body(date(2026, 3, 2))
    body["investigators"][1] = {"user": related.subject, "name": "赵六"}
    r = await api.post(f"{CASES}/{case.id}/investigations", county_officer, body)
    assert r.status_code == 403
    assert r.json()["code"] == "recusal_required"
    r = await api.post(f"{CASES}/{case.id}/investigations", county_officer, investigation_body(date(2026, 3, 2)))
    assert r.status_code == 201, r.text
    assert r.json()["close_relative"] is True
    assert r.json()["investigations"][0]["by_county"] is True


async def test_a_declared_relative_stays_recused_from_the_household_it_becomes(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000)
    people = family()
    # Declared by real name only: the declaration often names a person, not a user account.
    declared = CloseRelativeDeclaration(
        declared=True,
        relatives=(
            DeclaredRelative(
                member_id_number=people[0].id_number,
                staff_name="钱七",
                staff_unit="县民政局",
                relation=CloseRelation.COUSIN,
            ),
        ),
    )
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people, close_relative=declared)
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    await broker.deliver(event(app, f"application/{app.application_id}"))
    case = await case_of_application(api, app.application_id)
    assert (case.close_relative_declared, case.county_investigation) == (True, True)
    cousin = staff(StaffRole.county_officer, county, name="钱七")
    r = await api.post(f"{CASES}/{case.id}/investigations", cousin, investigation_body(date(2026, 3, 2)))
    assert r.status_code == 403
    assert r.json()["code"] == "recusal_required"
    # Reading is not acting: the case stays visible to staff of the area.
    assert (await api.get(f"{CASES}/{case.id}", cousin)).status_code == 200

    _, county_officer = officers(village, county)
    assert (
        await api.post(f"{CASES}/{case.id}/investigations", county_officer, investigation_body(date(2026, 3, 2)))
    ).status_code == 201
    assert (await api.post(f"{CASES}/{case.id}/proposal", county_officer, {"outcome": "approved"})).status_code == 200


async def test_a_filing_after_approval_blocks_the_staff_member_from_reviews(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    people = family()
    household_id, _ = await recipient_household(api, broker, county, village, people)
    officer = staff(StaffRole.county_officer, county, name="孙八")
    filing = {
        "staff_user": officer.subject,
        "staff_name": "孙八",
        "staff_unit": "县民政局",
        "staff_region": county,
        "relative": {"id_number": people[2].id_number, "name": people[2].name},
        "relation": "uncle_aunt",
    }
    assert (await api.post(REGISTER, officer, filing)).status_code == 201
    hh = (await api.get(f"/api/v1/casework/households/{household_id}", officer)).json()
    assert hh["close_relative"] is True
    assert api.ctx is not None
    from services.casework.case.opening import open_triggered
    from services.casework.case.rules import Trigger

    async with api.db.sessions.begin() as s:
        case, _ = await open_triggered(
            s,
            api.ctx,
            household_id=household_id,
            trigger=Trigger.HIT,
            trigger_ref=f"hit-{household_id}",
            summary="hit",
            actor="t",
        )
    assert case.county_investigation is True
    r = await api.post(f"{CASES}/{case.id}/investigations", officer, investigation_body(api.clock().date()))
    assert r.status_code == 403
    assert r.json()["code"] == "recusal_required"
