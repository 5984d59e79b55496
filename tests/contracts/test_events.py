from __future__ import annotations

import copy
import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from libs.contracts.events import EVENT_TYPES, TOPICS, EventPayload, UnknownEventType, parse_payload
from tests.contracts.factories import make_id

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
    "platform-probe": ({"probe_id": "probe-1", "seq": 7, "sent_at": "2026-11-23T01:15:00Z"}, None),
}

WITH_ID_NUMBER = [event_type for event_type, (_, path) in SAMPLES.items() if path is not None]


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def test_catalogue_covers_exactly_the_contract_types() -> None:
    expected_topics = (*CONTRACT_TYPES, "platform-probe")
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
