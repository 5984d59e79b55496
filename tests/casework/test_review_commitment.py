"""The household's commitment (属实承诺书) at review (seed 001 三(五), issue 21): a review's investigation carries it,
signed for this review; an application's was signed at intake."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from services.casework.case.commitment import commitment_problem
from services.casework.case.rules import CaseKind
from services.casework.case.schemas import CommitmentIn
from tests.casework.flows import CASES, case_of_application, officers, recipient_household, village_report_review
from tests.casework.support import (
    Broker,
    CaseworkApi,
    application,
    commitment,
    event,
    family,
    investigation_body,
    new_county,
    new_village,
    set_standards,
    verification,
)

_OPENED, _TODAY = date(2026, 3, 11), date(2026, 3, 20)


def _signed(on: date, *, signed: bool = True) -> CommitmentIn:
    return CommitmentIn.model_validate(commitment(on, signed=signed))


@pytest.mark.parametrize(
    ("kind", "given", "problem"),
    [
        (CaseKind.PERIODIC, _signed(_OPENED), None),
        (CaseKind.TRIGGERED, _signed(_TODAY), None),
        (CaseKind.TRIGGERED, None, ("commitment_required", ())),
        (CaseKind.PERIODIC, _signed(_TODAY, signed=False), ("commitment_required", ("signed",))),
        (CaseKind.TRIGGERED, _signed(date(2026, 3, 21)), ("commitment_date_invalid", ("signed_on",))),
        # Last year's commitment does not cover this review.
        (CaseKind.PERIODIC, _signed(date(2026, 3, 10)), ("commitment_date_invalid", ("signed_on",))),
        # An application's commitment was signed at intake: none is needed here, one given is kept.
        (CaseKind.APPLICATION, None, None),
        (CaseKind.APPLICATION, _signed(_TODAY, signed=False), None),
        (CaseKind.APPLICATION, _signed(date(2026, 3, 1)), None),
        (CaseKind.APPLICATION, _signed(date(2026, 3, 21)), ("commitment_date_invalid", ("signed_on",))),
    ],
)
def test_when_a_commitment_will_do(
    kind: CaseKind, given: CommitmentIn | None, problem: tuple[str, tuple[str, ...]] | None
) -> None:
    found = commitment_problem(kind, given, opened_on=_OPENED, today=_TODAY)
    assert (found[:2] if found else None) == problem


async def _review(api: CaseworkApi) -> tuple[str, str, str]:
    """A village-report review of a recipient household, opened on 2026-03-11: (case id, village, county)."""
    broker, county = Broker(api), new_county()
    village = new_village(county)
    household_id, _ = await recipient_household(api, broker, county, village)
    assert api.clock.at is not None
    assert api.clock.at.date() == _OPENED
    return await village_report_review(api, household_id, f"report-{household_id}"), village, county


def _without(**changes: Any) -> dict[str, Any]:
    body = investigation_body(_OPENED)
    if "commitment" in changes and changes["commitment"] is None:
        del body["commitment"]
    elif "commitment" in changes:
        body["commitment"] = changes["commitment"]
    return body


@pytest.mark.parametrize(
    ("body", "code", "loc"),
    [
        (_without(commitment=None), "commitment_required", ["body", "commitment"]),
        (
            _without(commitment=commitment(_OPENED, signed=False)),
            "commitment_required",
            ["body", "commitment", "signed"],
        ),
        (
            _without(commitment=commitment(date(2026, 3, 12))),
            "commitment_date_invalid",
            ["body", "commitment", "signed_on"],
        ),
        (
            _without(commitment=commitment(date(2026, 3, 10))),
            "commitment_date_invalid",
            ["body", "commitment", "signed_on"],
        ),
        (_without(commitment={**commitment(_OPENED), "signed_by": "=1+1"}), "validation_failed", None),
        (_without(commitment={**commitment(_OPENED), "signer_relation": ""}), "validation_failed", None),
        (_without(commitment={**commitment(_OPENED), "signed_on": "0001-01-01"}), "validation_failed", None),
        (_without(commitment={"signed": True}), "validation_failed", None),
    ],
)
async def test_a_review_without_a_good_commitment_is_refused_and_changes_nothing(
    api: CaseworkApi, body: dict[str, Any], code: str, loc: list[str] | None
) -> None:
    case_id, village, _ = await _review(api)
    township = officers(village, new_county())[0]
    before = (await api.get(f"{CASES}/{case_id}", township)).json()
    r = await api.post(f"{CASES}/{case_id}/investigations", township, body)
    assert (r.status_code, r.json()["code"]) == (422, code), r.text
    if loc is not None:
        assert loc in [e["loc"] for e in r.json()["errors"]]
        assert "承诺书" in r.json()["title_zh"]
    after = (await api.get(f"{CASES}/{case_id}", township)).json()
    assert (after["status"], after["version"], after["investigations"]) == ("investigating", before["version"], [])
    assert len(after["history"]) == len(before["history"])


async def test_a_review_with_the_commitment_is_investigated_and_shows_it(api: CaseworkApi) -> None:
    case_id, village, _ = await _review(api)
    township = officers(village, new_county())[0]
    r = await api.post(f"{CASES}/{case_id}/investigations", township, investigation_body(_OPENED))
    assert r.status_code == 201, r.text
    [shown] = r.json()["investigations"]
    assert shown["commitment"] == {
        "signed": True,
        "signed_by": "王建国",
        "signer_relation": "户主",
        "signed_on": _OPENED.isoformat(),
    }
    assert r.json()["status"] == "township_review"


async def test_an_application_is_investigated_without_one(api: CaseworkApi) -> None:
    broker, county = Broker(api), new_county()
    village = new_village(county)
    await set_standards(api, county, dibao_standard_fen=70000)
    people = family()
    api.clock.set_day(date(2026, 3, 2))
    app = application(village, people)
    await broker.deliver(event(app, f"application/{app.application_id}"))
    await broker.deliver(event(verification(app.application_id, people), "application", source="matching"))
    case = await case_of_application(api, app.application_id)
    body = investigation_body(date(2026, 3, 2))
    del body["commitment"]
    r = await api.post(f"{CASES}/{case.id}/investigations", officers(village, county)[0], body)
    assert r.status_code == 201, r.text
    assert r.json()["investigations"][0]["commitment"] is None
