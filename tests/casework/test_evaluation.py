"""The democratic evaluation (民主评议 / 村社区评议, seed 004 三(一), issue 21): which cases need one, what a record of
one must hold, the proposal waiting for it where the region says so, and the close-relative recusal applied to the
officer recording it and to its panel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from libs.contracts.events.intake import CloseRelation, CloseRelativeDeclaration, DeclaredRelative
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from services.casework.case.evaluation_rules import evaluation_required, violations
from services.casework.case.evaluation_schemas import EvaluationIn
from services.casework.case.models import CaseEvaluation, CaseHistory
from services.casework.case.rules import CaseKind
from tests.casework.flows import CASES, case_of_application, end_publicity, officers
from tests.casework.support import (
    Broker,
    CaseworkApi,
    Person,
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

DAY = date(2026, 3, 2)


def evaluation(on: date = DAY, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "held_on": on.isoformat(),
        "place": "村委会议室",
        "participants": 15,
        "panel": [
            {"name": "刘福生", "role": "村民代表"},
            {"name": "陈桂兰", "role": "村民代表"},
            {"name": "周永强", "role": "村委会委员"},
        ],
        "result": "mixed",
        "agree": 12,
        "disagree": 2,
        "abstain": 1,
        "dissent": "两名代表认为其子女有赡养能力",
    }
    body.update(overrides)
    return body


# --- Which cases need one (a pure rule) ---


@pytest.mark.parametrize(
    ("required_here", "kind", "program", "needed"),
    [
        (True, CaseKind.APPLICATION, Program.DIBAO, True),
        (True, CaseKind.APPLICATION, Program.TEKUN_DISPERSED, True),
        # Temporary assistance keeps its shortened procedure (seed 004 二(七)).
        (True, CaseKind.APPLICATION, Program.TEMPORARY, False),
        # Reviews are not evaluated again: the household was when it came in.
        (True, CaseKind.PERIODIC, Program.DIBAO, False),
        (True, CaseKind.TRIGGERED, Program.DIBAO, False),
        (False, CaseKind.APPLICATION, Program.DIBAO, False),
    ],
)
def test_which_cases_wait_for_an_evaluation(
    required_here: bool, kind: CaseKind, program: Program, needed: bool
) -> None:
    assert evaluation_required(required_here, kind, program) is needed


# --- What a record must hold (a pure rule) ---

_TODAY, _VISIT = date(2026, 3, 10), date(2026, 3, 5)
_TWICE = [{"name": "刘福生"}, {"name": "刘福生"}]


@pytest.mark.parametrize(
    ("overrides", "found"),
    [
        ({}, []),
        ({"held_on": "2026-03-05"}, []),  # the day of the visit
        ({"result": "agree", "agree": 14, "disagree": 0, "dissent": ""}, []),
        ({"result": "disagree", "agree": 0, "disagree": 9, "abstain": 6}, []),
        ({"held_on": "2026-03-11"}, [(("held_on",), "evaluation_date_invalid")]),
        ({"held_on": "2026-03-04"}, [(("held_on",), "evaluation_date_invalid")]),
        ({"panel": _TWICE}, [(("panel",), "evaluation_inconsistent")]),
        ({"participants": 2, "agree": 1, "disagree": 1, "abstain": 0}, [(("panel",), "evaluation_inconsistent")]),
        ({"agree": 13, "disagree": 2, "abstain": 1}, [(("agree",), "evaluation_inconsistent")]),
        ({"result": "agree"}, [(("result",), "evaluation_inconsistent")]),
        ({"result": "disagree"}, [(("result",), "evaluation_inconsistent")]),
        ({"result": "mixed", "disagree": 0, "dissent": ""}, [(("result",), "evaluation_inconsistent")]),
        ({"result": "agree", "agree": 0, "disagree": 0, "dissent": ""}, [(("result",), "evaluation_inconsistent")]),
        ({"dissent": "  "}, [(("dissent",), "dissent_required")]),
        (
            {"held_on": "2026-03-01", "result": "agree"},
            [(("held_on",), "evaluation_date_invalid"), (("result",), "evaluation_inconsistent")],
        ),
    ],
)
def test_what_an_evaluation_must_hold(overrides: dict[str, Any], found: list[tuple[tuple[str], str]]) -> None:
    body = EvaluationIn.model_validate(evaluation(_TODAY, **overrides))
    assert [(loc, code) for loc, code, _ in violations(body, today=_TODAY, visited_on=_VISIT)] == found


@pytest.mark.parametrize(
    "overrides",
    [
        {"participants": 0},
        {"participants": 501},
        {"panel": []},
        {"panel": [{"name": f"代表{'甲乙丙丁戊己庚辛壬癸'[i % 10]}{i}"} for i in range(51)]},
        {"panel": [{"name": "=1+1"}]},
        {"agree": -1},
        {"result": "abstained"},
        {"place": ""},
        {"place": "会" * 201},
        {"dissent": "意" * 2001},
        {"held_on": "0001-01-01"},
        {"held_on": "2999-01-01"},
        {"unknown": 1},
    ],
)
def test_out_of_bounds_evaluations_are_refused_at_the_door(overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="validation error"):
        EvaluationIn.model_validate(evaluation(**overrides))


# --- Through the API ---


def declared(people: list[Person], staff_name: str) -> CloseRelativeDeclaration:
    """The application declares `staff_name` a cousin of its head (a real name, no user account)."""
    relative = DeclaredRelative(
        member_id_number=people[0].id_number,
        staff_name=staff_name,
        staff_unit="镇民政办",
        relation=CloseRelation.COUSIN,
    )
    return CloseRelativeDeclaration(declared=True, relatives=(relative,))


async def investigated_application(
    api: CaseworkApi, *, democratic_evaluation: bool = True, relative: str | None = None
) -> tuple[str, str, str]:
    """A dibao application investigated on DAY in a county of its own (`relative` declared a close relative: the
    county investigates): (case id, village, county)."""
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000, democratic_evaluation=democratic_evaluation)
    people = family()
    api.clock.set_day(DAY)
    declaration = declared(people, relative) if relative else CloseRelativeDeclaration(declared=False)
    app = application(village, people, close_relative=declaration)
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    investigator = officers(village, county)[1 if relative else 0]
    r = await api.post(f"{CASES}/{case.id}/investigations", investigator, investigation_body(DAY))
    assert r.status_code == 201, r.text
    return case.id, village, county


async def recorded(api: CaseworkApi, case_id: str) -> tuple[int, int]:
    """(evaluation rows, history rows) of the case."""
    async with api.db.sessions() as s:
        rows = await s.scalar(select(func.count()).where(CaseEvaluation.case_id == case_id))
        history = await s.scalar(select(func.count()).where(CaseHistory.case_id == case_id))
    return rows or 0, history or 0


async def test_where_the_region_requires_it_the_proposal_waits_for_the_evaluation(api: CaseworkApi) -> None:
    case_id, village, county = await investigated_application(api)
    township, _ = officers(village, county)
    waiting = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "approved"})
    assert (waiting.status_code, waiting.json()["code"]) == (409, "evaluation_required")
    assert "民主评议" in waiting.json()["title_zh"]

    r = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation())
    assert r.status_code == 201, r.text
    shown = r.json()
    assert shown["status"] == "township_review"
    [e] = shown["evaluations"]
    assert (e["investigation_round"], e["result"], e["agree"], e["disagree"], e["abstain"]) == (1, "mixed", 12, 2, 1)
    assert e["panel"][0] == {"name": "刘福生", "role": "村民代表"}
    assert (e["participants"], e["dissent"], e["held_on"]) == (15, "两名代表认为其子女有赡养能力", DAY.isoformat())
    assert shown["history"][-1]["action"] == "evaluation_recorded"
    assert shown["history"][-1]["detail"] == "mixed: agree 12, disagree 2, abstain 1"
    # The dissent is sealed on the row: it may name members.
    async with api.db.sessions() as s:
        row = (await s.scalars(select(CaseEvaluation).where(CaseEvaluation.case_id == case_id))).one()
    assert "赡养" not in row.dissent_sealed

    again = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation())
    assert (again.status_code, again.json()["code"]) == (409, "evaluation_exists")
    proposed = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "approved"})
    assert proposed.status_code == 200, proposed.text
    assert proposed.json()["status"] == "publicity"
    # Evaluated in township review only: a case in publicity is not evaluated again.
    late = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation())
    assert (late.status_code, late.json()["code"]) == (409, "invalid_status")


async def test_an_objection_reopens_the_investigation_and_the_new_round_is_evaluated_again(api: CaseworkApi) -> None:
    case_id, village, county = await investigated_application(api)
    township, county_officer = officers(village, county)
    assert (await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation())).status_code == 201
    assert (await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "approved"})).status_code == 200
    objection = {"summary": "邻居反映其家中有车辆", "raised_by": "村民"}
    assert (await api.post(f"{CASES}/{case_id}/objections", township, objection)).status_code == 200
    later = DAY + timedelta(days=3)
    api.clock.set_day(later)
    assert (await api.post(f"{CASES}/{case_id}/investigations", township, investigation_body(later))).status_code == 201

    waiting = await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "approved"})
    assert (waiting.status_code, waiting.json()["code"]) == (409, "evaluation_required")
    # Before the second visit is before what it evaluates.
    early = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation(DAY))
    assert (early.status_code, early.json()["code"]) == (422, "evaluation_date_invalid")
    r = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation(later, result="agree", disagree=0))
    assert r.status_code == 201, r.text
    assert [e["investigation_round"] for e in r.json()["evaluations"]] == [1, 2]
    assert (await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "approved"})).status_code == 200
    api.clock.set_day(later + timedelta(days=9))
    assert await end_publicity(api) >= 1
    decided = await api.post(f"{CASES}/{case_id}/decision", county_officer, {"decision": "confirm"})
    assert (decided.status_code, decided.json()["outcome"]) == (200, "approved")


async def test_without_the_figure_no_evaluation_is_awaited_but_one_may_be_recorded(api: CaseworkApi) -> None:
    case_id, village, county = await investigated_application(api, democratic_evaluation=False)
    township, _ = officers(village, county)
    assert (await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation())).status_code == 201
    assert (await api.post(f"{CASES}/{case_id}/proposal", township, {"outcome": "approved"})).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "status", "code", "loc"),
    [
        ({"held_on": "2026-03-03"}, 422, "evaluation_date_invalid", ["body", "held_on"]),
        ({"held_on": "2026-03-01"}, 422, "evaluation_date_invalid", ["body", "held_on"]),
        ({"result": "agree"}, 422, "evaluation_inconsistent", ["body", "result"]),
        ({"agree": 14, "disagree": 2, "abstain": 1}, 422, "evaluation_inconsistent", ["body", "agree"]),
        ({"dissent": ""}, 422, "dissent_required", ["body", "dissent"]),
        ({"participants": 600}, 422, "validation_failed", ["body", "participants"]),
        ({"panel": [{"name": "张三", "role": "代表", "id_number": "x"}]}, 422, "validation_failed", None),
    ],
)
async def test_a_bad_evaluation_is_refused_and_changes_nothing(
    api: CaseworkApi, overrides: dict[str, Any], status: int, code: str, loc: list[str] | None
) -> None:
    case_id, village, county = await investigated_application(api)
    township, _ = officers(village, county)
    before = (await api.get(f"{CASES}/{case_id}", township)).json()
    counted = await recorded(api, case_id)
    r = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation(**overrides))
    assert (r.status_code, r.json()["code"]) == (status, code), r.text
    if loc is not None:
        assert loc in [e["loc"] for e in r.json()["errors"]]
    after = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert (after["version"], after["evaluations"]) == (before["version"], [])
    assert await recorded(api, case_id) == counted


async def test_an_evaluation_is_refused_before_the_investigation_and_outside_the_jurisdiction(
    api: CaseworkApi,
) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000, democratic_evaluation=True)
    people = family()
    api.clock.set_day(DAY)
    app = application(village, people)
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    township, _ = officers(village, county)
    counted = await recorded(api, case.id)
    early = await api.post(f"{CASES}/{case.id}/evaluations", township, evaluation())
    assert (early.status_code, early.json()["code"]) == (409, "invalid_status")
    assert early.json()["status_now"] == "investigating"
    elsewhere = staff(StaffRole.township_officer, new_village(new_county())[:9])
    assert (await api.post(f"{CASES}/{case.id}/evaluations", elsewhere, evaluation())).status_code == 403
    assert await recorded(api, case.id) == counted


async def test_the_close_relative_recusal_applies_to_the_evaluation(api: CaseworkApi) -> None:
    people_relative = "钱七"
    case_id, village, county = await investigated_application(api, relative=people_relative)
    township, _ = officers(village, county)
    counted = await recorded(api, case_id)

    # The related officer may not record it ...
    cousin = staff(StaffRole.township_officer, village[:9], name=people_relative)
    r = await api.post(f"{CASES}/{case_id}/evaluations", cousin, evaluation())
    assert (r.status_code, r.json()["code"]) == (403, "recusal_required")
    # ... nor sit on its panel, named by real name as the register names them.
    panel = [{"name": "刘福生", "role": "村民代表"}, {"name": people_relative, "role": "村委会委员"}]
    r = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation(panel=panel))
    assert (r.status_code, r.json()["code"]) == (403, "recusal_required")
    assert r.json()["errors"][0]["loc"] == ["body", "panel", 1, "name"]
    assert await recorded(api, case_id) == counted

    r = await api.post(f"{CASES}/{case_id}/evaluations", township, evaluation())
    assert r.status_code == 201, r.text
