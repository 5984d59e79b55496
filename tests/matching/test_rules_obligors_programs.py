"""Obligor rules (dibao and tekun households only), the programs a household is watched for, and the rules API
(DOMAIN.md §5: rules are data; administrators change them; a change applies from the next run)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from libs.contracts.events.casework import EntitlementStatus
from libs.contracts.programs import Program
from libs.contracts.staff import StaffRole
from services.matching.rules.defaults import DEFAULT_RULES
from services.matching.rules.spec import RuleSpec
from tests.matching.rule_support import (
    Expected,
    check_hit,
    day,
    deaths_of,
    hits_of,
    load,
    row,
    rules_hit,
    today,
    watched,
    with_obligor,
)
from tests.matching.support import (
    Broker,
    Household,
    MatchingApi,
    application,
    entitlement,
    fresh_id,
    obligor,
    staff,
)

ADMIN = staff(StaffRole.system_admin, "65")
RULES = "/api/v1/matching/rules"
OLD = "2015-06-01"


@pytest.fixture(autouse=True)
def _today(api: MatchingApi) -> None:
    today(api)


# --- obligors: a record of a legal supporter living apart is a support check, for dibao and tekun only ------------

_SPELL_IN = {"start_date": day(-10), "status": "active"}
_SPELL_OUT = {"start_date": day(-10), "status": "ended"}
_DEATH = {"event_date": day(-3)}
_PRISON_IN = {"start_date": day(-9)}
_PRISON_OUT = {"start_date": day(-99), "end_date": day(-1)}
_CAR_IN = {"plate": "渝O1", "vehicle_type": "motorcycle", "registered_at": OLD, "deregistered": False}
_CAR_OUT = {"plate": "渝O2", "vehicle_type": "car", "registered_at": OLD, "deregistered": True}
_HOME = {"acquisition": "purchase", "kind": "commercial"}
_HOME_IN = {"property_id": "PO1", "acquired_at": day(0, years=-3), **_HOME}
_HOME_OUT = {"property_id": "PO2", "acquired_at": day(-1, years=-3), **_HOME}
_FIRM_IN = {"credit_code": "91O1", "registered_at": OLD, "status": "active"}
_FIRM_OUT = {"credit_code": "91O2", "registered_at": OLD, "status": "revoked"}
OBLIGORS = [
    # (rule, source, severity, a record inside, a record outside (None: every record counts))
    pytest.param("death_obligor", "death", "medium", _DEATH, None, id="death"),
    pytest.param("police_deregistration_obligor", "police_deregistration", "medium", _DEATH, None, id="police"),
    pytest.param("cremation_obligor", "cremation", "medium", _DEATH, None, id="cremation"),
    pytest.param("prison_obligor", "prison", "low", _PRISON_IN, _PRISON_OUT, id="prison"),
    pytest.param("public_payroll_obligor", "public_payroll", "low", _SPELL_IN, _SPELL_OUT, id="payroll"),
    pytest.param(
        "employee_medical_insurance_obligor", "employee_medical_insurance", "low", _SPELL_IN, _SPELL_OUT, id="medical"
    ),
    pytest.param(
        "work_injury_obligor", "work_injury", "low", _SPELL_IN, {**_SPELL_IN, "start_date": day(1)}, id="injury"
    ),
    pytest.param("provident_fund_obligor", "provident_fund", "low", _SPELL_IN, _SPELL_OUT, id="provident_fund"),
    pytest.param(
        "retirement_obligor", "retirement", "low", _SPELL_IN, {**_SPELL_IN, "status": "terminated"}, id="retired"
    ),
    pytest.param("pension_obligor", "pension", "low", {"status": "normal"}, {"status": "terminated"}, id="pension"),
    pytest.param("vehicle_obligor", "vehicle", "low", _CAR_IN, _CAR_OUT, id="vehicle"),
    pytest.param("property_obligor", "property", "low", _HOME_IN, _HOME_OUT, id="property"),
    pytest.param("business_obligor", "business", "low", _FIRM_IN, _FIRM_OUT, id="business"),
]


@pytest.mark.parametrize(("rule", "source", "severity", "inside", "outside"), OBLIGORS)
async def test_obligor_rules(
    api: MatchingApi,
    broker: Broker,
    rule: str,
    source: str,
    severity: str,
    inside: dict[str, Any],
    outside: dict[str, Any] | None,
) -> None:
    dibao, _ = await watched(broker)
    supporter = await with_obligor(broker, dibao)
    marginal, _ = await watched(broker, program=Program.MARGINAL)
    marginal_supporter = await with_obligor(broker, marginal, Program.MARGINAL)
    rows = [row(source, supporter, **inside), row(source, marginal_supporter, **inside)]
    apart = None
    if outside is not None:
        apart, _ = await watched(broker)
        rows.append(row(source, await with_obligor(broker, apart), **outside))
    feed = await load(api, source, rows)

    [hit] = await hits_of(api, dibao)
    check_hit(hit, Expected(rule, severity, role="obligor"), dibao, feed, row=1, **inside)
    assert feed["hits_raised"] == 1
    # The marginal band has no obligors to count (seed 004 is about dibao and tekun).
    assert await hits_of(api, marginal) == []
    if apart is not None:
        assert await hits_of(api, apart) == []
    # An obligor's death is a support question, not a recipient's death.
    assert feed["deaths_raised"] == 0
    assert await deaths_of(api, dibao) == []


@pytest.mark.parametrize("acquisition", ["resettlement", "inheritance"])
async def test_an_obligors_home_not_bought_raises_nothing(api: MatchingApi, broker: Broker, acquisition: str) -> None:
    household, _ = await watched(broker)
    supporter = await with_obligor(broker, household)
    fields = {"property_id": f"PR{uuid.uuid4().hex[:8]}", "acquired_at": day(-30), "kind": "commercial"}
    await load(api, "property", [row("property", supporter, acquisition=acquisition, **fields)])
    assert await hits_of(api, household) == []


@pytest.mark.parametrize("program", [Program.DIBAO_SINGLE, Program.TEKUN_DISPERSED, Program.TEKUN_CENTRALIZED])
async def test_obligors_of_tekun_and_single_dibao_are_watched(
    api: MatchingApi, broker: Broker, program: Program
) -> None:
    household, _ = await watched(broker, program=program)
    supporter = await with_obligor(broker, household, program)
    await load(api, "public_payroll", [row("public_payroll", supporter, start_date=OLD, status="active")])
    assert await rules_hit(api, household) == ["public_payroll_obligor"]


async def test_an_obligor_declared_but_not_yet_approved_is_not_watched(api: MatchingApi, broker: Broker) -> None:
    household, _ = await watched(broker)
    supporter = fresh_id()
    await broker.deliver(application(list(household.members), obligors=[obligor(supporter)]))
    await load(api, "pension", [row("pension", supporter, status="normal")])
    assert await hits_of(api, household) == []


# --- programs: which households are watched, and for which rules -----------------------------------------------

Step = tuple[EntitlementStatus, str, str | None]  # status, effective from, effective to
_CAR = {"vehicle_type": "car", "registered_at": OLD, "deregistered": False}


async def test_a_disability_allowance_household_has_no_asset_rules(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker, program=Program.DISABILITY_LIVING)
    await load(api, "vehicle", [row("vehicle", person, plate=f"渝D{uuid.uuid4().hex[:6]}", **_CAR)])
    await load(api, "pension", [row("pension", person, status="normal")])
    assert await hits_of(api, household) == []


async def test_only_the_programs_paying_now_count(api: MatchingApi, broker: Broker) -> None:
    """Dibao stopped, the disability allowance still paid: no asset rule, but prison applies to every program."""
    household, person = await _stepped(broker, [(EntitlementStatus.STOPPED, "2026-06", None)])
    await entitlement(
        broker, household.household_id, household.region_code, household.members, program=Program.DISABILITY_LIVING
    )
    await load(api, "vehicle", [row("vehicle", person, plate=f"渝S{uuid.uuid4().hex[:6]}", **_CAR)])
    assert await hits_of(api, household) == []
    await load(api, "prison", [row("prison", person, start_date=day(-3))])
    assert await rules_hit(api, household) == ["prison_sole_member"]


async def test_the_marginal_band_has_the_asset_rules(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker, program=Program.MARGINAL)
    await load(api, "vehicle", [row("vehicle", person, plate=f"渝M{uuid.uuid4().hex[:6]}", **_CAR)])
    assert await rules_hit(api, household) == ["vehicle_not_deregistered"]


async def _stepped(broker: Broker, steps: list[Step]) -> tuple[Household, str]:
    """A dibao household whose entitlement went through `steps` (status, from, to), each announced later."""
    household, [person] = await watched(broker)
    for i, (status, start, end) in enumerate(steps, start=1):
        await entitlement(
            broker, household.household_id, household.region_code, household.members,
            status=status, effective_from=start, effective_to=end, at=datetime(2026, 1 + i, 1, tzinfo=UTC),
        )  # fmt: skip
    return household, person


WATCHED = [
    pytest.param([(EntitlementStatus.STOPPED, "2026-06", None)], False, id="stopped-earlier"),
    pytest.param([(EntitlementStatus.STOPPED, "2026-11", None)], False, id="stopped-this-month"),
    pytest.param([(EntitlementStatus.STOPPED, "2026-12", None)], True, id="stops-next-month"),
    pytest.param(
        [(EntitlementStatus.GRADUAL_EXIT, "2026-10", "2027-01"), (EntitlementStatus.STOPPED, "2027-02", None)],
        True,
        id="gradual-exit-into-next-year",
    ),
    pytest.param(
        [(EntitlementStatus.GRADUAL_EXIT, "2026-07", "2026-10"), (EntitlementStatus.STOPPED, "2026-11", None)],
        False,
        id="gradual-exit-over",
    ),
]


@pytest.mark.parametrize(("steps", "is_watched"), WATCHED)
async def test_watched_while_an_entitlement_pays_this_month_or_later(
    api: MatchingApi, broker: Broker, steps: list[Step], is_watched: bool
) -> None:
    household, person = await _stepped(broker, steps)
    await load(api, "vehicle", [row("vehicle", person, plate=f"渝W{uuid.uuid4().hex[:6]}", **_CAR)])
    death = await load(api, "death", [row("death", person, event_date=day(-1))])

    assert await rules_hit(api, household) == (["vehicle_not_deregistered"] if is_watched else [])
    assert death["deaths_raised"] == int(is_watched)


# --- the rules API ------------------------------------------------------------------------------------------------


async def test_the_shipped_rules_are_listed(api: MatchingApi) -> None:
    reply = await api.get(RULES, staff(StaffRole.township_officer, "650101001"))
    assert reply.status_code == 200
    listed = {r["id"]: {k: v for k, v in r.items() if k not in ("updated_at", "updated_by")} for r in reply.json()}
    assert len(DEFAULT_RULES) == 34
    # The migration seeds the catalogue of defaults.py, field for field.
    for shipped in DEFAULT_RULES:
        assert listed[shipped["id"]] == RuleSpec.model_validate(shipped).model_dump(mode="json")


def _marker_rule(rule_id: str, plate: str, **extra: Any) -> dict[str, Any]:
    """A rule only the test's own record can meet (the rules table is shared by the whole session)."""
    return {
        "id": rule_id,
        "source": "vehicle",
        "conditions": [{"field": "plate", "op": "eq", "value": plate}],
        "severity": "low",
        "suggested_action": "核实 check",
        "description": "a test rule",
        **extra,
    }


async def _feed_marker(api: MatchingApi, broker: Broker, plate: str) -> Any:
    household, [person] = await watched(broker)
    other = {"vehicle_type": "other", "registered_at": OLD, "deregistered": True}  # no shipped rule raises this
    await load(api, "vehicle", [row("vehicle", person, plate=plate, **other)])
    return household


async def test_an_added_rule_applies_then_changes_and_can_be_disabled(api: MatchingApi, broker: Broker) -> None:
    rule_id, plate = f"t_{uuid.uuid4().hex[:12]}", f"T{uuid.uuid4().hex[:8]}"
    body = _marker_rule(rule_id, plate)
    created = await api.post(RULES, ADMIN, json=body)
    assert created.status_code == 201, created.text
    assert (await api.post(RULES, ADMIN, json=body)).json()["code"] == "rule_exists"
    try:
        household = await _feed_marker(api, broker, plate)
        [hit] = await hits_of(api, household)
        assert (hit.rule_id, hit.severity, hit.evidence["plate"]) == (rule_id, "low", plate)

        changed = await api.put(f"{RULES}/{rule_id}", ADMIN, json={**body, "severity": "high"})
        assert changed.status_code == 200, changed.text
        household = await _feed_marker(api, broker, plate)
        assert [(h.rule_id, h.severity) for h in await hits_of(api, household)] == [(rule_id, "high")]

        off = await api.put(f"{RULES}/{rule_id}", ADMIN, json={**body, "enabled": False})
        assert off.json()["enabled"] is False
        household = await _feed_marker(api, broker, plate)
        assert await hits_of(api, household) == []
    finally:
        await api.put(f"{RULES}/{rule_id}", ADMIN, json={**body, "enabled": False})


async def test_a_shipped_rules_severity_changes_for_the_next_feed(api: MatchingApi, broker: Broker) -> None:
    [shipped] = [r for r in (await api.get(RULES, ADMIN)).json() if r["id"] == "flight"]
    body = {k: v for k, v in shipped.items() if k not in ("updated_at", "updated_by")}
    try:
        reply = await api.put(f"{RULES}/flight", ADMIN, json={**body, "severity": "medium"})
        assert reply.status_code == 200, reply.text
        household, [person] = await watched(broker)
        await load(api, "flight", [row("flight", person, flight_date=day(-5), route="CKG-SHA")])
        assert [(h.rule_id, h.severity) for h in await hits_of(api, household)] == [("flight", "medium")]
    finally:
        restored = await api.put(f"{RULES}/flight", ADMIN, json=body)
        assert restored.json()["severity"] == "low"


async def test_only_a_system_admin_changes_rules(api: MatchingApi) -> None:
    officer = staff(StaffRole.township_officer, "650101001")
    before = (await api.get(RULES, officer)).json()
    [flight] = [r for r in before if r["id"] == "flight"]
    body = {k: v for k, v in flight.items() if k not in ("updated_at", "updated_by")}
    assert (await api.put(f"{RULES}/flight", officer, json={**body, "enabled": False})).status_code == 403
    assert (await api.post(RULES, officer, json=_marker_rule(f"t_{uuid.uuid4().hex[:8]}", "X"))).status_code == 403
    assert (await api.put(f"{RULES}/no_such_rule", ADMIN, json=body)).status_code == 404
    after = (await api.get(RULES, officer)).json()
    assert [r for r in after if r["id"] == "flight"] == [flight]


def _cond(**c: Any) -> dict[str, Any]:
    return {"conditions": [c]}


INVALID = [
    pytest.param(_cond(field="colour", op="eq", value="red"), id="unknown-field"),
    pytest.param(_cond(field="plate", op="like", value="渝%"), id="unknown-op"),
    pytest.param(_cond(field="status", op="eq", value="active"), id="field-not-of-source"),
    pytest.param(_cond(field="plate", op="in"), id="in-without-values"),
    pytest.param(_cond(field="registered_at", op="within"), id="within-without-span"),
    pytest.param({"kind": "household_count"}, id="count-without-aggregate"),
    pytest.param({"aggregate": {"distinct": "plate", "at_least": 2}}, id="aggregate-on-record-rule"),
    pytest.param({"kind": "death"}, id="death-on-vehicles"),
    pytest.param({"evidence_fields": ["route"]}, id="evidence-not-of-source"),
    pytest.param({"severity": "urgent"}, id="unknown-severity"),
    pytest.param({"programs": ["lottery"]}, id="unknown-program"),
    pytest.param({"sql": "DROP TABLE rules"}, id="unknown-key"),
]


@pytest.mark.parametrize("change", INVALID)
async def test_an_invalid_rule_is_refused_and_changes_nothing(api: MatchingApi, change: dict[str, Any]) -> None:
    before = (await api.get(RULES, ADMIN)).json()
    [vehicle] = [r for r in before if r["id"] == "vehicle_not_deregistered"]
    body = {k: v for k, v in vehicle.items() if k not in ("updated_at", "updated_by")}
    new_id = f"t_{uuid.uuid4().hex[:12]}"

    for reply in (
        await api.put(f"{RULES}/vehicle_not_deregistered", ADMIN, json={**body, **change}),
        await api.post(RULES, ADMIN, json={**_marker_rule(new_id, "X"), **change}),
    ):
        assert reply.status_code == 422, reply.text
        assert reply.json()["code"] == "invalid_rule"
    after = (await api.get(RULES, ADMIN)).json()
    assert after == before
    assert new_id not in {r["id"] for r in after}
