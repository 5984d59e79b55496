from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from pydantic import ValidationError

from libs.contracts.events import EVENT_TYPES, TOPICS, EventPayload, UnknownEventType, parse_payload
from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT, ApplicationSubmitted, CloseRelation
from libs.kernel.pii import PiiVault
from tests.support.id_numbers import make_id

HEAD = make_id(date(1960, 5, 1), seq="131")
SPOUSE = make_id(date(1962, 8, 9), seq="142")
NOW = "2026-11-23T09:15:00+08:00"
HEAD_REF = {"id_number": HEAD, "name": "王五"}
MEMBERS = [{**HEAD_REF, "relation": "head"}, {"id_number": SPOUSE, "name": "李梅", "relation": "spouse"}]

# The 12 types of CONTRACTS.md §6, in table order.
CONTRACT_TYPES = (
    "application-submitted",
    "application-withdrawn",
    "verification-completed",
    "case-decided",
    "entitlement-changed",
    "household-changed",
    "death-detected",
    "match-hit-confirmed",
    "complaint-substantiated",
    "help-requested",
    "payment-failed",
    "overpayment-detected",
)

# Added since the contract table (payloads may be added, never renamed or dropped), in catalogue order.
ADDED_TYPES = (
    "application-deadline-extended",
    "review-requested",
    "temporary-grant-issued",
    "temporary-grant-payment-reported",
    "temporary-grant-reclaimed",
    "close-relative-filing-changed",
)

# A sample payload per type, and the path of one identity number inside it (None: the type carries none).
SAMPLES: dict[str, tuple[dict[str, Any], tuple[str | int, ...] | None]] = {
    "application-submitted": (
        {
            "application_id": "app-1",
            "application_no": "SQ2026110001",
            "program": "dibao",
            "region_code": "140402101203",
            "applicant": MEMBERS[0],
            "members": MEMBERS,
            "declared_income": [{"member_id_number": HEAD, "kind": "wages", "amount_12_months": "9600.00"}],
            "declared_assets": [{"kind": "vehicle", "description": "motorcycle", "value": "1500.00"}],
            "close_relative": {"declared": False},
            "accepted_at": NOW,
            "due_date": "2027-01-07",
            "due_date_provisional": True,
        },
        ("members", 1, "id_number"),
    ),
    "application-withdrawn": ({"application_id": "app-1", "reason": "申请人撤回", "withdrawn_at": NOW}, None),
    "verification-completed": (
        {
            "application_id": "app-1",
            "verification_id": "ver-1",
            "findings": [
                {
                    "member_id_number": HEAD,
                    "source": "vehicle",
                    "outcome": "finding",
                    "evidence": {"plate": "晋D1"},
                },
                {"member_id_number": SPOUSE, "source": "property", "outcome": "clear"},
            ],
            "completed_at": NOW,
        },
        ("findings", 0, "member_id_number"),
    ),
    "case-decided": (
        {
            "case_id": "case-1",
            "application_id": "app-1",
            "household_id": "hh-1",
            "program": "dibao",
            "outcome": "approved",
            "reasons": ["符合条件"],
            "effective_month": "2026-12",
            "decided_at": NOW,
        },
        None,
    ),
    "entitlement-changed": (
        {
            "entitlement_id": "ent-1",
            "household_id": "hh-1",
            "region_code": "140402101203",
            "program": "dibao",
            "status": "active",
            "monthly_amount": "560.00",
            "effective_from": "2026-12",
            "effective_to": None,
            "payee": HEAD_REF,
            "bank_account_ref": "acct-1",
            "members": MEMBERS,
            "changed_at": NOW,
        },
        ("payee", "id_number"),
    ),
    "household-changed": (
        {
            "household": {
                "household_id": "hh-2",
                "region_code": "140402101203",
                "head_id_number": SPOUSE,
                "members": MEMBERS[1:],
                "programs": ["dibao"],
            },
            "changes": [{"kind": "member_removed", "id_number": HEAD, "detail": "death"}],
            "predecessor_household_id": "hh-1",
            "changed_at": NOW,
        },
        ("changes", 0, "id_number"),
    ),
    "death-detected": (
        {
            "person": HEAD_REF,
            "death_date": "2026-11-02",
            "source": "death",
            "feed_id": "feed-9",
            "household_ids": ["hh-1"],
            "detected_at": NOW,
        },
        ("person", "id_number"),
    ),
    "match-hit-confirmed": (
        {
            "hit_id": "hit-1",
            "rule": "vehicle.not_deregistered",
            "source": "vehicle",
            "person": HEAD_REF,
            "household_id": "hh-1",
            "severity": "high",
            "suggested_action": "stop",
            "evidence": {"plate": "晋D12345", "vehicle_type": "car", "deregistered": False},
            "confirmed_at": NOW,
        },
        ("person", "id_number"),
    ),
    "complaint-substantiated": (
        {
            "complaint_id": "cmp-1",
            "work_order_no": "HL20261123000187",
            "region_code": "140402101203",
            "household_id": "hh-1",
            "person": HEAD_REF,
            "category": "complaint",
            "finding": "substantiated",
            "summary": "家有轿车",
            "substantiated_at": NOW,
        },
        ("person", "id_number"),
    ),
    "help-requested": (
        {
            "complaint_id": "cmp-2",
            "person": {"name": "赵六", "id_number": SPOUSE, "phone": "13800000000"},
            "region_code": "140402101",
            "need": "生病无收入",
            "requested_at": NOW,
        },
        ("person", "id_number"),
    ),
    "payment-failed": (
        {
            "roster_id": "ros-1",
            "line_id": "line-1",
            "period": "2026-12",
            "household_id": "hh-1",
            "program": "dibao",
            "amount": "560.00",
            "failure_reason": "account closed",
            "failed_at": NOW,
        },
        None,
    ),
    "overpayment-detected": (
        {
            "household_id": "hh-1",
            "program": "dibao",
            "months": ["2026-12", "2027-01"],
            "amount": "1120.00",
            "reason": "paid_after_death",
            "person": HEAD_REF,
            "detected_at": NOW,
        },
        ("person", "id_number"),
    ),
    "application-deadline-extended": (
        {
            "application_id": "app-1",
            "due_date": "2027-02-01",
            "due_date_provisional": False,
            "reason": "需入户调查核实",
            "extended_at": NOW,
        },
        None,
    ),
    "review-requested": (
        {
            "case_id": "case-9",
            "household_id": "hh-1",
            "region_code": "140402101203",
            "person": HEAD_REF,
            "reason": "serious_illness",
            "detail": "住院",
            "source": "province",
            "source_ref": "W20261123001",
            "raised_at": NOW,
        },
        ("person", "id_number"),
    ),
    "temporary-grant-issued": (
        {
            "grant_id": "grant-1",
            "kind": "advance",
            "region_code": "140402001001",
            "payee": HEAD_REF,
            "amount": "800.00",
            "cause": "火灾",
            "discovered_at": NOW,
            "pay_by": "2026-11-26",
            "issued_at": NOW,
            "payment_account": {
                "bank_code": "ICBC",
                "holder_name": "王五",
                "account_no_masked": "6222***********0000",
                "account_no_sealed": "sealed",
            },
        },
        ("payee", "id_number"),
    ),
    "temporary-grant-payment-reported": (
        {
            "grant_id": "grant-1",
            "attempt": 1,
            "order_id": "roster-1",
            "line_id": "line-1",
            "status": "paid",
            "paid_at": NOW,
            "reported_at": NOW,
        },
        None,
    ),
    "temporary-grant-reclaimed": (
        {
            "grant_id": "grant-1",
            "region_code": "140402",
            "amount": "800.00",
            "reason": "不符合条件",
            "reclaimed_at": NOW,
        },
        None,
    ),
    "close-relative-filing-changed": (
        {
            "filing_id": "17",
            "state": "active",
            "staff_user": "u-zhao",
            "staff_name": "赵红梅",
            "relative_id_number": SPOUSE,
            "changed_at": NOW,
        },
        ("relative_id_number",),
    ),
    "platform-probe": ({"probe_id": "probe-1", "seq": 7, "sent_at": "2026-11-23T01:15:00Z"}, None),
}

WITH_ID_NUMBER = [event_type for event_type, (_, path) in SAMPLES.items() if path is not None]


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def test_catalogue_covers_exactly_the_contract_types() -> None:
    expected_topics = (*CONTRACT_TYPES, *ADDED_TYPES, "platform-probe")
    assert expected_topics == TOPICS
    assert set(EVENT_TYPES) == set(SAMPLES)
    for event_type, model in EVENT_TYPES.items():
        assert model.event_type == event_type
        assert model.schema_version == 1
        assert "event_type" not in model.model_fields


@pytest.mark.parametrize("event_type", list(SAMPLES))
def test_round_trip(event_type: str) -> None:
    data, _ = SAMPLES[event_type]
    payload = parse_payload(event_type, data)
    assert type(payload) is EVENT_TYPES[event_type]
    again = parse_payload(event_type, json.loads(payload.model_dump_json()))
    assert again == payload
    dumped = payload.model_dump(mode="json")
    # Everything the producer sent comes back (defaults may add fields, never drop or rename one).
    assert set(data) <= set(dumped)


@pytest.mark.parametrize("event_type", list(SAMPLES))
def test_unknown_fields_are_ignored(event_type: str) -> None:
    data = {**copy.deepcopy(SAMPLES[event_type][0]), "added_in_v2": {"x": 1}}
    payload = parse_payload(event_type, data)
    assert "added_in_v2" not in payload.model_dump()


@pytest.mark.parametrize("event_type", WITH_ID_NUMBER)
def test_invalid_id_number_is_rejected(event_type: str) -> None:
    data, path = SAMPLES[event_type]
    assert path is not None
    broken = copy.deepcopy(data)
    _set(broken, path, HEAD[:17] + ("0" if HEAD[17] != "0" else "1"))
    with pytest.raises(ValidationError) as caught:
        parse_payload(event_type, broken)
    assert tuple(caught.value.errors()[0]["loc"]) == path


@pytest.mark.parametrize("event_type", WITH_ID_NUMBER)
def test_id_numbers_are_normalised(event_type: str) -> None:
    data, path = SAMPLES[event_type]
    assert path is not None
    lowered = copy.deepcopy(data)
    fifteen = "110105491231002"
    _set(lowered, path, fifteen)
    dumped: Any = parse_payload(event_type, lowered).model_dump(mode="json")
    for key in path:
        dumped = dumped[key]
    assert dumped == "11010519491231002X"


@pytest.mark.parametrize(
    ("event_type", "path", "value"),
    [
        ("entitlement-changed", ("monthly_amount",), 560.0),
        ("entitlement-changed", ("monthly_amount",), "560"),
        ("payment-failed", ("period",), "2026-13"),
        ("overpayment-detected", ("months",), []),
        ("death-detected", ("household_ids",), []),
        ("case-decided", ("outcome",), "maybe"),
        ("entitlement-changed", ("region_code",), "14"),
        ("application-withdrawn", ("withdrawn_at",), "2026-11-23T09:15:00"),
        ("application-withdrawn", ("reason",), "   "),
        ("platform-probe", ("seq",), "seven"),
        ("household-changed", ("changes",), []),
        ("application-deadline-extended", ("reason",), ""),
        ("application-deadline-extended", ("due_date",), "2027-02-30"),
        ("review-requested", ("reason",), "lottery_win"),
        ("review-requested", ("source_ref",), ""),
        ("review-requested", ("raised_at",), "2026-11-23T09:15:00"),
    ],
)
def test_invalid_values_are_rejected(event_type: str, path: tuple[str, ...], value: object) -> None:
    broken = copy.deepcopy(SAMPLES[event_type][0])
    _set(broken, path, value)
    with pytest.raises(ValidationError):
        parse_payload(event_type, broken)


def test_complaint_names_a_household_or_person() -> None:
    data = copy.deepcopy(SAMPLES["complaint-substantiated"][0])
    del data["household_id"], data["person"]
    with pytest.raises(ValidationError, match="household_id or a person"):
        parse_payload("complaint-substantiated", data)


def test_payloads_are_frozen() -> None:
    payload = parse_payload("platform-probe", SAMPLES["platform-probe"][0])
    with pytest.raises(ValidationError):
        payload.seq = 8  # type: ignore[attr-defined]


def test_unknown_event_type() -> None:
    with pytest.raises(UnknownEventType):
        parse_payload("household-teleported", {})


def test_models_share_the_base() -> None:
    assert all(issubclass(model, EventPayload) for model in EVENT_TYPES.values())


# The optional fields ApplicationSubmitted gained after the contract table (DOMAIN.md §2, §5, §7, §9).
ACCOUNT_NO = "6222020000000000000"
RELATIVE = {
    "member_id_number": SPOUSE,
    "staff_name": "张华",
    "staff_user": "user-17",
    "staff_unit": "城区民政局",
    "relation": "sibling",
}
DETAILED: dict[str, Any] = {
    "member_details": [
        {
            "id_number": HEAD,
            "birth_date": "1960-05-01",
            "disability_kind": "physical",
            "disability_grade": 2,
            "serious_illness": True,
            "labour_capacity": "none",
            "employment": "unemployed",
        },
        {"id_number": SPOUSE, "birth_date": "1962-08-09", "labour_capacity": "partial", "employment": "farming"},
    ],
    "declared_expenditure": [{"kind": "medical", "amount_12_months": "12000.00"}],
    "obligors": [
        {
            "person": {"id_number": make_id(date(1985, 3, 4), seq="151"), "name": "王强"},
            "relation": "son",
            "support_monthly": "200.00",
        }
    ],
    "close_relative": {"declared": True, "staff_name": "张华", "relation": "sibling", "relatives": [RELATIVE]},
}


def _detailed_application(account: dict[str, Any] | None = None) -> dict[str, Any]:
    data = {**copy.deepcopy(SAMPLES["application-submitted"][0]), **copy.deepcopy(DETAILED)}
    if account is not None:
        data["payment_account"] = account
    return data


def _sealed_account() -> dict[str, Any]:
    sealed = PiiVault("test-pii-key").encrypt(ACCOUNT_NO, context=BANK_ACCOUNT_SEAL_CONTEXT)
    return {
        "bank_code": "ICBC",
        "holder_name": "王五",
        "account_no_masked": "6222****0000",
        "account_no_sealed": sealed,
    }


def test_application_details_validate() -> None:
    payload = parse_payload("application-submitted", _detailed_application(_sealed_account()))
    assert isinstance(payload, ApplicationSubmitted)
    assert [detail.id_number for detail in payload.member_details] == [HEAD, SPOUSE]
    assert payload.member_details[0].birth_date == date(1960, 5, 1)
    assert payload.member_details[0].serious_illness is True
    assert payload.member_details[1].disability_grade is None
    assert payload.member_details[1].serious_illness is False
    assert payload.obligors[0].support_monthly == "200.00"
    assert payload.declared_expenditure[0].kind == "medical"
    (relative,) = payload.close_relative.relatives
    assert relative.relation is CloseRelation.SIBLING
    assert relative.member_id_number == SPOUSE
    again = parse_payload("application-submitted", json.loads(payload.model_dump_json()))
    assert again == payload


def test_application_details_may_be_absent() -> None:
    # A producer built before these fields still sends valid events, and consumers see empty defaults.
    payload = parse_payload("application-submitted", SAMPLES["application-submitted"][0])
    assert isinstance(payload, ApplicationSubmitted)
    assert payload.member_details == ()
    assert payload.obligors == ()
    assert payload.declared_expenditure == ()
    assert payload.payment_account is None
    assert payload.close_relative.relatives == ()
    assert payload.close_relative.staff_name is None


def test_payment_account_travels_sealed() -> None:
    account = _sealed_account()
    payload = parse_payload("application-submitted", _detailed_application(account))
    assert isinstance(payload, ApplicationSubmitted)
    assert payload.payment_account is not None
    assert ACCOUNT_NO not in payload.model_dump_json()
    sealed = payload.payment_account.account_no_sealed
    vault = PiiVault("test-pii-key")
    assert vault.decrypt(sealed, context=BANK_ACCOUNT_SEAL_CONTEXT) == ACCOUNT_NO
    # The seal is bound to its context: a ciphertext lifted into another field does not open.
    with pytest.raises(InvalidTag):
        vault.decrypt(sealed, context="jiuzhu/other")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("close_relative", "relatives", 0, "relation"), "neighbour"),
        (("close_relative", "relatives", 0, "staff_name"), "  "),
        (("close_relative", "relatives", 0, "member_id_number"), HEAD[:17] + ("0" if HEAD[17] != "0" else "1")),
        (("member_details", 0, "birth_date"), "1960-02-30"),
        (("member_details", 0, "id_number"), "14040219600501131"),
        (("member_details", 1, "labour_capacity"), None),
        (("obligors", 0, "support_monthly"), 200.0),
        (("obligors", 0, "person", "id_number"), "not-a-number"),
        (("declared_expenditure", 0, "amount_12_months"), "12000"),
        (("payment_account", "account_no_sealed"), ""),
    ],
)
def test_invalid_application_details_are_rejected(path: tuple[str | int, ...], value: object) -> None:
    broken = _detailed_application(_sealed_account())
    _set(broken, path, value)
    with pytest.raises(ValidationError) as caught:
        parse_payload("application-submitted", broken)
    assert tuple(caught.value.errors()[0]["loc"])[: len(path)] == path


def test_payment_account_needs_its_seal() -> None:
    account = _sealed_account()
    del account["account_no_sealed"]
    with pytest.raises(ValidationError):
        parse_payload("application-submitted", _detailed_application(account))


def test_close_relations_are_the_seed_list() -> None:
    # Seed 002 (DOMAIN.md §7): fourteen relations, named from the member's side.
    assert len(CloseRelation) == 14
    assert {"spouse", "sibling", "child_spouse_parent"} <= {relation.value for relation in CloseRelation}
