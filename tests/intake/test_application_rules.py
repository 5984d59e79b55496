"""The pure rules of an application (services/intake/application/rules.py): no database, no clock but `TODAY`."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from libs.contracts.programs import Program
from services.intake.application.rules import (
    ALLOWED_FROM,
    Loc,
    Violation,
    check_application,
    claimed_id_numbers,
    programs_conflict,
    submission_violations,
)
from services.intake.application.schemas import ApplicationIn, ApplicationStatus
from services.intake.local_figures.rules import NATIONAL_DEFAULTS, ProcedureFigures
from tests.intake.support import application_body, fresh_id, member

TODAY = date(2026, 3, 1)
VILLAGE = "140402101201"
HEAD_ID = fresh_id(date(1975, 3, 14))
SPOUSE_ID = fresh_id(date(1978, 6, 2))
OUTSIDER_ID = fresh_id(date(1950, 1, 1))


def household(**overrides: Any) -> dict[str, Any]:
    """A valid two-member dibao body with known identity numbers."""
    members = [member(HEAD_ID, "王建国"), member(SPOUSE_ID, "李秀英", "spouse")]
    return application_body(VILLAGE, members=members, **overrides)


def app_of(body: dict[str, Any]) -> ApplicationIn:
    return ApplicationIn.model_validate(body)


def found(app: ApplicationIn, figures: ProcedureFigures = NATIONAL_DEFAULTS) -> set[tuple[Loc, str]]:
    return {(v.loc, v.code) for v in check_application(app, today=TODAY, figures=figures)}


def alone(program: Program, born: date, **extra: Any) -> ApplicationIn:
    """A one-person application for `program` by someone born on `born`."""
    applicant = fresh_id(born)
    return app_of(application_body(VILLAGE, program=program.value, members=[member(applicant, "张三", **extra)]))


# ---- a consistent application ----------------------------------------------------------------------------------


def test_the_sample_application_has_nothing_wrong() -> None:
    app = app_of(household())
    assert check_application(app, today=TODAY, figures=NATIONAL_DEFAULTS) == []
    assert submission_violations(app) == []


def test_every_violation_is_reported_at_once() -> None:
    body = household(applicant_id_number=OUTSIDER_ID, emergency=True)
    body["members"].append(member(HEAD_ID, "王建国", "head"))
    assert found(app_of(body)) == {
        (("members", 2, "id_number"), "duplicate_member"),
        (("members",), "one_head_required"),
        (("applicant_id_number",), "applicant_not_member"),
        (("emergency",), "emergency_only_temporary"),
    }


# ---- members ----------------------------------------------------------------------------------------------------


def test_a_person_listed_twice_is_named_at_the_second_listing() -> None:
    body = household()
    body["members"].append(member(SPOUSE_ID, "李秀英", "other"))
    assert found(app_of(body)) == {(("members", 2, "id_number"), "duplicate_member")}


@pytest.mark.parametrize("relations", [("spouse", "child"), ("head", "head")])
def test_exactly_one_head(relations: tuple[str, str]) -> None:
    members = [member(HEAD_ID, "王建国", relations[0]), member(SPOUSE_ID, "李秀英", relations[1])]
    assert found(app_of(application_body(VILLAGE, members=members))) == {(("members",), "one_head_required")}


@pytest.mark.parametrize("given", [{"disability_kind": "physical"}, {"disability_grade": 2}])
def test_a_disability_needs_kind_and_grade(given: dict[str, Any]) -> None:
    members = [member(HEAD_ID, "王建国"), member(SPOUSE_ID, "李秀英", "spouse", **given)]
    got = found(app_of(application_body(VILLAGE, members=members)))
    assert got == {(("members", 1, "disability_grade"), "disability_incomplete")}


def test_the_applicant_must_be_a_member_and_is_then_not_checked_for_eligibility() -> None:
    body = household(program="elderly_high_age", applicant_id_number=OUTSIDER_ID)
    assert found(app_of(body)) == {(("applicant_id_number",), "applicant_not_member")}


# ---- references to members ----------------------------------------------------------------------------------


def test_income_and_assets_must_belong_to_members() -> None:
    body = household(
        income=[
            {"member_id_number": SPOUSE_ID, "kind": "wages", "amount_12_months": "100.00"},
            {"member_id_number": OUTSIDER_ID, "kind": "transfers", "amount_12_months": "100.00"},
        ],
        assets=[
            {"kind": "deposit", "description": "household savings"},  # no owner: the household's
            {"kind": "vehicle", "member_id_number": OUTSIDER_ID, "identifier": "晋D12345"},
        ],
    )
    assert found(app_of(body)) == {
        (("income", 1, "member_id_number"), "not_a_member"),
        (("assets", 1, "member_id_number"), "not_a_member"),
    }


def test_an_obligor_lives_apart_so_is_not_a_member() -> None:
    outside = {"id_number": OUTSIDER_ID, "name": "王大伯", "relation": "son", "support_monthly": "200.00"}
    inside = {"id_number": SPOUSE_ID, "name": "李秀英", "relation": "spouse", "support_monthly": "0.00"}
    assert found(app_of(household(obligors=[outside]))) == set()
    assert found(app_of(household(obligors=[outside, inside]))) == {(("obligors", 1, "id_number"), "obligor_is_member")}


def test_the_bank_account_holder_must_be_a_member() -> None:
    spouse_holds = {"bank_code": "ICBC", "account_no": "6222020000000000000", "holder_id_number": SPOUSE_ID}
    assert found(app_of(household(bank_account=spouse_holds))) == set()
    stranger_holds = {**spouse_holds, "holder_id_number": OUTSIDER_ID}
    assert found(app_of(household(bank_account=stranger_holds))) == {
        (("bank_account", "holder_id_number"), "not_a_member")
    }


# ---- channels ---------------------------------------------------------------------------------------------------

PROXY = {"name": "村协理员", "id_number": OUTSIDER_ID, "relation": "village assistant"}


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"channel": "proxy", "proxy": PROXY}, set()),
        ({"channel": "proxy"}, {(("proxy",), "proxy_required")}),
        ({"channel": "counter", "proxy": PROXY}, {(("proxy",), "proxy_without_proxy_channel")}),
        ({"channel": "referral", "lead_id": "lead-1"}, set()),
        ({"channel": "referral"}, {(("lead_id",), "lead_required")}),
        ({"channel": "online", "lead_id": "lead-1"}, {(("channel",), "referral_channel_required")}),
        ({"emergency": True}, {(("emergency",), "emergency_only_temporary")}),
        ({"emergency": True, "program": "temporary"}, set()),
    ],
)
def test_channel_rules(overrides: dict[str, Any], expected: set[tuple[Loc, str]]) -> None:
    assert found(app_of(household(**overrides))) == expected


# ---- close-relative declaration (DOMAIN.md §7) ----------------------------------------------------------------

RELATIVES_LOC: Loc = ("declarations", "close_relative", "relatives")


def declaring(declared: bool, *relatives_of: str) -> dict[str, Any]:
    relatives = [{"member_id_number": m, "staff_name": "赵主任", "relation": "sibling"} for m in relatives_of]
    return {
        "truthfulness_commitment": True,
        "verification_authorisation": True,
        "close_relative": {"declared": declared, "relatives": relatives},
    }


@pytest.mark.parametrize(
    ("declarations", "expected"),
    [
        (declaring(True, SPOUSE_ID), set()),
        (declaring(False), set()),
        (declaring(True), {(RELATIVES_LOC, "relative_details_required")}),
        (declaring(False, SPOUSE_ID), {(RELATIVES_LOC, "relatives_not_declared")}),
        (declaring(True, HEAD_ID, OUTSIDER_ID), {((*RELATIVES_LOC, 1, "member_id_number"), "not_a_member")}),
    ],
)
def test_close_relative_declaration_is_consistent(declarations: dict[str, Any], expected: set[tuple[Loc, str]]) -> None:
    assert found(app_of(household(declarations=declarations))) == expected


# ---- eligibility by age and condition (DOMAIN.md §2) ------------------------------------------------------------

SEVERE = {"disability_kind": "physical", "disability_grade": 2, "labour_capacity": "partial"}
GRADE3_MENTAL = {"disability_kind": "mental", "disability_grade": 3}
GRADE3_PHYSICAL = {"disability_kind": "physical", "disability_grade": 3}
GRADE4 = {"disability_kind": "hearing", "disability_grade": 4}
ADULT = date(1986, 5, 5)


@pytest.mark.parametrize(
    ("program", "born", "extra", "code"),
    [
        # Child allowances: under 18 on the day (the 18th birthday is TODAY for 2008-03-01).
        (Program.ORPHAN, date(2008, 3, 2), {}, None),
        (Program.ORPHAN, date(2008, 3, 1), {}, "age_not_eligible"),
        (Program.HIV_CHILD, date(2015, 1, 1), {}, None),
        (Program.HIV_CHILD, date(1990, 1, 1), {}, "age_not_eligible"),
        (Program.DE_FACTO_ORPHAN, date(2008, 3, 1), {}, "age_not_eligible"),
        # High-age allowance from 80 (national figure).
        (Program.ELDERLY_HIGH_AGE, date(1946, 3, 1), {}, None),
        (Program.ELDERLY_HIGH_AGE, date(1946, 3, 2), {}, "age_not_eligible"),
        # Disabled-elderly subsidy from 60.
        (Program.ELDERLY_DISABLED, date(1966, 3, 1), {}, None),
        (Program.ELDERLY_DISABLED, date(1966, 3, 2), {}, "age_not_eligible"),
        # Tekun: 60+, under 16, a severe disability, or no labour capacity.
        (Program.TEKUN_DISPERSED, date(1966, 3, 1), {}, None),
        (Program.TEKUN_CENTRALIZED, date(2010, 3, 2), {}, None),
        (Program.TEKUN_CENTRALIZED, date(2010, 3, 1), {}, "age_not_eligible"),
        (Program.TEKUN_DISPERSED, ADULT, SEVERE, None),
        (Program.TEKUN_DISPERSED, ADULT, GRADE3_MENTAL, None),
        (Program.TEKUN_DISPERSED, ADULT, GRADE3_PHYSICAL, "age_not_eligible"),
        (Program.TEKUN_CARE, ADULT, {"labour_capacity": "none"}, None),
        (Program.TEKUN_CARE, ADULT, {"labour_capacity": "full"}, "age_not_eligible"),
        # 单人保: serious illness, grade 1–2, or grade 3 intellectual/mental.
        (Program.DIBAO_SINGLE, ADULT, {"health": "serious_illness"}, None),
        (Program.DIBAO_SINGLE, ADULT, {"disability_kind": "visual", "disability_grade": 1}, None),
        (Program.DIBAO_SINGLE, ADULT, {"disability_kind": "intellectual", "disability_grade": 3}, None),
        (Program.DIBAO_SINGLE, ADULT, GRADE3_PHYSICAL, "single_person_condition_not_met"),
        (Program.DIBAO_SINGLE, ADULT, {"health": "chronic_illness"}, "single_person_condition_not_met"),
        # Disability subsidies: care for the severely disabled, living for any certified disability.
        (Program.DISABILITY_CARE, ADULT, SEVERE, None),
        (Program.DISABILITY_CARE, ADULT, GRADE3_MENTAL, None),
        (Program.DISABILITY_CARE, ADULT, GRADE4, "disability_not_eligible"),
        (Program.DISABILITY_CARE, ADULT, {}, "disability_not_eligible"),
        (Program.DISABILITY_LIVING, ADULT, GRADE4, None),
        (Program.DISABILITY_LIVING, ADULT, {}, "disability_not_eligible"),
        # No age or condition of their own.
        (Program.DIBAO, date(2000, 1, 1), {}, None),
        (Program.TEMPORARY, date(2012, 1, 1), {}, None),
    ],
)
def test_eligibility_of_the_applicant(program: Program, born: date, extra: dict[str, Any], code: str | None) -> None:
    expected = set() if code is None else {(("members", 0, "id_number"), code)}
    assert found(alone(program, born, **extra)) == expected


def test_the_high_age_threshold_is_the_regions_figure() -> None:
    app = alone(Program.ELDERLY_HIGH_AGE, date(1950, 1, 1))  # 76 on TODAY
    assert found(app) == {(("members", 0, "id_number"), "age_not_eligible")}
    assert found(app, replace(NATIONAL_DEFAULTS, high_age_min_years=70)) == set()


def test_eligibility_names_the_applicants_own_member_index() -> None:
    old = fresh_id(date(1940, 1, 1))
    members = [member(HEAD_ID, "王建国"), member(old, "王老汉", "parent")]
    young = app_of(application_body(VILLAGE, program="elderly_high_age", members=members))
    assert found(young) == {(("members", 0, "id_number"), "age_not_eligible")}
    assert found(young.model_copy(update={"applicant_id_number": old})) == set()


# ---- submission ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("declaration", ["truthfulness_commitment", "verification_authorisation"])
def test_submission_needs_both_declarations_signed(declaration: str) -> None:
    body = household()
    body["declarations"][declaration] = False
    got = submission_violations(app_of(body))
    assert got == [Violation(("declarations", declaration), "declaration_required", got[0].msg)]


@pytest.mark.parametrize(("program", "needed"), [("dibao", True), ("temporary", True), ("marginal", False)])
def test_submission_needs_a_bank_account_except_for_marginal(program: str, needed: bool) -> None:
    got = [(v.loc, v.code) for v in submission_violations(app_of(household(program=program, bank_account=None)))]
    assert got == ([(("bank_account",), "bank_account_required")] if needed else [])


# ---- who is claimed, what conflicts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("program", "claimed"),
    [("dibao", [HEAD_ID, SPOUSE_ID]), ("marginal", [HEAD_ID, SPOUSE_ID]), ("dibao_single", [SPOUSE_ID])],
)
def test_household_programs_claim_every_member_others_the_applicant(program: str, claimed: list[str]) -> None:
    extra = {"applicant_id_number": SPOUSE_ID} if program == "dibao_single" else {}
    assert claimed_id_numbers(app_of(household(program=program, **extra))) == claimed


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (Program.DIBAO, Program.DIBAO, True),
        (Program.TEMPORARY, Program.TEMPORARY, True),
        (Program.DIBAO, Program.DIBAO_SINGLE, True),
        (Program.DIBAO, Program.TEKUN_DISPERSED, True),
        (Program.TEKUN_CENTRALIZED, Program.TEKUN_DISPERSED, True),
        (Program.DIBAO_SINGLE, Program.TEKUN_CENTRALIZED, True),
        (Program.MARGINAL, Program.DIBAO, True),
        (Program.MARGINAL, Program.TEKUN_CENTRALIZED, True),
        (Program.ORPHAN, Program.HIV_CHILD, True),
        (Program.DE_FACTO_ORPHAN, Program.ORPHAN, True),
        # 单人保 is made for one member of a marginal household.
        (Program.MARGINAL, Program.DIBAO_SINGLE, False),
        (Program.DIBAO, Program.DISABILITY_LIVING, False),
        (Program.DIBAO, Program.DISABILITY_CARE, False),
        (Program.MARGINAL, Program.DISABILITY_LIVING, False),
        (Program.DIBAO, Program.TEMPORARY, False),
        (Program.TEKUN_DISPERSED, Program.TEKUN_CARE, False),
        (Program.DIBAO, Program.ELDERLY_HIGH_AGE, False),
        (Program.ORPHAN, Program.DIBAO, False),
    ],
)
def test_programs_conflict(a: Program, b: Program, conflict: bool) -> None:
    assert programs_conflict(a, b) is conflict


def test_programs_conflict_is_symmetric() -> None:
    for a, b in itertools.product(Program, repeat=2):
        assert programs_conflict(a, b) == programs_conflict(b, a), (a, b)


def test_only_drafts_and_returned_applications_change_content() -> None:
    assert ALLOWED_FROM["update"] == ALLOWED_FROM["submit"] == {ApplicationStatus.DRAFT, ApplicationStatus.RETURNED}
    assert ALLOWED_FROM["accept"] == ALLOWED_FROM["return"] == {ApplicationStatus.SUBMITTED}
    assert ALLOWED_FROM["extend"] == {ApplicationStatus.ACCEPTED}
    closed = {ApplicationStatus.WITHDRAWN, ApplicationStatus.DECIDED}
    assert all(not (allowed & closed) for allowed in ALLOWED_FROM.values())
