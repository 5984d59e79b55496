"""A proposal's calculation through the API shows the region's rigid-expenditure cap and asset limits as lines
(seed 004 二(四), 二(十)), and a household above a limit cannot be approved (422 `not_eligible`, nothing changes)."""

from __future__ import annotations

from datetime import date
from typing import Any

from libs.contracts.events.intake import DeclaredAsset, DeclaredExpenditure
from libs.contracts.staff import StaffRole
from tests.casework.flows import CASES, case_of_application, officers
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
    verification,
)


def shown(body: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {line["label"]: (line["formula"], line["amount"]) for line in body["calculation"]}


async def test_the_proposal_shows_rigid_expenditure_and_assets_as_lines(api: CaseworkApi) -> None:
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000, rigid_medical_cap_fen=20000, rigid_expense_declared=True)
    township, _ = officers(village, county)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(
        village,
        people,
        wages_12_months="9600.00",
        declared_expenditure=(
            DeclaredExpenditure(kind="medical", amount_12_months="6000.00"),
            DeclaredExpenditure(kind="education", amount_12_months="1200.00"),
        ),
        declared_assets=(
            DeclaredAsset(kind="deposit", value="20000.00"),
            DeclaredAsset(kind="vehicle", member_id_number=people[0].id_number, value="30000.00"),
            DeclaredAsset(kind="house", member_id_number=people[0].id_number),
        ),
    )
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    r = await api.post(f"{CASES}/{case.id}/investigations", township, investigation_body(date(2026, 3, 2)))
    assert r.status_code == 201, r.text

    # The car is above the region's limit of none: approval is refused with the reason, and nothing changes.
    refused = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert (refused.status_code, refused.json()["code"]) == (422, "not_eligible"), refused.text
    assert any("车辆1辆" in reason for reason in refused.json()["reasons"])
    assert (await api.get(f"{CASES}/{case.id}", township)).json()["status"] == "township_review"

    r = await api.post(
        f"{CASES}/{case.id}/proposal", township, {"outcome": "rejected", "reasons": ["家庭拥有机动车辆"]}
    )
    assert r.status_code == 200, r.text
    lines = shown(r.json())
    # Medical capped at 200.00 a month, education (uncapped) in full: 800.00 − 200.00 − 100.00 = 500.00.
    assert lines["扣减 deduction 医疗支出 medical"] == ("min(6,000.00, 200.00 × 12)", "2400.00")
    assert lines["扣减 deduction 教育支出 education"] == ("申报 declared 1,200.00", "1200.00")
    assert lines["家庭月收入 household monthly income"] == ("9,600.00 / 12 - (2,400.00 + 1,200.00) / 12", "500.00")
    assert lines["家庭人均金融资产 financial assets per person (deposits, securities)"][1] == "20000.00"
    assert lines["车辆 vehicles"] == ("1辆 > 本地区限额 the region's limit 0：超过 above", None)
    assert lines["住房 houses"] == ("1套 ≤ 本地区限额 the region's limit 1", None)
    # The lines are sealed with the case content: no identity number on them.
    assert not any(p.id_number in str(r.json()["calculation"]) for p in people)


async def test_within_the_limits_the_household_is_approved_with_its_deductions(api: CaseworkApi) -> None:
    broker = Broker(api)
    county = new_county()
    village = new_village(county)
    # The region allows one vehicle; declared expenditure is not taken on trust: the investigation's figure counts.
    await set_standards(api, county, dibao_standard_fen=70000, vehicles_allowed=1)
    township, _ = officers(village, county)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(
        village,
        people,
        declared_expenditure=(DeclaredExpenditure(kind="medical", amount_12_months="6000.00"),),
        declared_assets=(DeclaredAsset(kind="vehicle", member_id_number=people[1].id_number, value="3000.00"),),
    )
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    found = investigation_body(date(2026, 3, 2), deductions=[{"kind": "medical", "amount_12_months": "2400.00"}])
    assert (await api.post(f"{CASES}/{case.id}/investigations", township, found)).status_code == 201

    r = await api.post(f"{CASES}/{case.id}/proposal", township, {"outcome": "approved"})
    assert r.status_code == 200, r.text
    lines = shown(r.json())
    # (700.00 × 3) − (9,600.00 − 2,400.00) / 12 = 1,500.00.
    assert r.json()["proposed_amount"] == "1500.00"
    assert lines["扣减 deduction 医疗支出 medical"] == ("2,400.00", "2400.00")
    assert lines["申报支出 declared expenditure 医疗支出 medical"][0].endswith("the investigation's figure applies")
    assert lines["车辆 vehicles"] == ("1辆 ≤ 本地区限额 the region's limit 1", None)
    assert StaffRole.township_officer  # the proposal was the township's (flows.officers)
