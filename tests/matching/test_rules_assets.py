"""The shipped asset rules of seed 004 §十 (pension, vehicles, property incl. two homes, business) and the air-travel
warning of seed 002, each with records just inside and just outside its conditions (DOMAIN.md §5)."""

from __future__ import annotations

import uuid

import pytest

from tests.matching.rule_support import (
    AS_OF,
    Expected,
    check_hit,
    day,
    hits_of,
    load,
    row,
    today,
    watched,
)
from tests.matching.support import Broker, MatchingApi

# A year before the feed's as-of date: the first day "within 12 months" (inclusive), and the day before it.
YEAR_AGO = AS_OF.replace(year=AS_OF.year - 1).isoformat()
YEAR_AGO_MINUS_1 = day(-1, years=-1)
OLD = "2015-06-01"


@pytest.fixture(autouse=True)
def _today(api: MatchingApi) -> None:
    today(api)


def _unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8].upper()}"


# --- vehicles: cars, trucks and motorcycles count; deregistered ones need proof; purchases within a year warn --------

NOT_DEREG = ("vehicle_not_deregistered", "high")
DEREG = ("vehicle_deregistered", "low")
OTHER = ("vehicle_other", "low")
RECENT = ("vehicle_purchase_recent", "medium")

VEHICLES = [
    # (vehicle_type, deregistered, registered_at, rules raised)
    pytest.param("car", False, OLD, {NOT_DEREG}, id="car"),
    pytest.param("truck", False, OLD, {NOT_DEREG}, id="truck"),
    pytest.param("motorcycle", False, OLD, {NOT_DEREG}, id="motorcycle"),
    pytest.param("car", True, OLD, {DEREG}, id="car-deregistered"),
    pytest.param("motorcycle", True, OLD, {DEREG}, id="motorcycle-deregistered"),
    pytest.param("other", False, OLD, {OTHER}, id="other"),
    pytest.param("other", True, OLD, set(), id="other-deregistered"),
    pytest.param("car", False, YEAR_AGO, {NOT_DEREG, RECENT}, id="bought-exactly-a-year-ago"),
    pytest.param("car", False, YEAR_AGO_MINUS_1, {NOT_DEREG}, id="bought-a-year-and-a-day-ago"),
    pytest.param("truck", True, day(0), {DEREG, RECENT}, id="bought-on-as-of-deregistered"),
    # A car purchase (seed 002) is about motor vehicles; another kind bought recently is no warning.
    pytest.param("other", True, day(-30), set(), id="other-bought-recently"),
    pytest.param("car", False, day(1), {NOT_DEREG}, id="registered-after-as-of"),
]


@pytest.mark.parametrize(("vehicle_type", "deregistered", "registered_at", "raised"), VEHICLES)
async def test_vehicles(
    api: MatchingApi,
    broker: Broker,
    vehicle_type: str,
    deregistered: bool,
    registered_at: str,
    raised: set[tuple[str, str]],
) -> None:
    household, (_, spouse) = await watched(broker, 2)
    plate = _unique("渝A")
    fields = {"plate": plate, "vehicle_type": vehicle_type, "registered_at": registered_at}
    feed = await load(api, "vehicle", [row("vehicle", spouse, deregistered=deregistered, **fields)])

    hits = await hits_of(api, household)
    assert {(h.rule_id, h.severity) for h in hits} == raised
    assert feed["hits_raised"] == len(raised)
    for hit in hits:
        check_hit(hit, Expected(hit.rule_id, hit.severity), household, feed, deregistered=deregistered, **fields)
        assert hit.evidence_key == plate


async def test_each_vehicle_is_its_own_evidence(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker)
    plates = [_unique("渝B"), _unique("渝C")]
    rows = [row("vehicle", person, plate=p, vehicle_type="car", registered_at=OLD, deregistered=False) for p in plates]
    await load(api, "vehicle", rows)

    hits = await hits_of(api, household)
    assert sorted(h.evidence["plate"] for h in hits) == sorted(plates)
    assert {h.rule_id for h in hits} == {"vehicle_not_deregistered"}


# --- property: a commercial home bought within 3 years (resettlement excepted) ------------------------------------

THREE_YEARS_AGO = day(0, years=-3)
PROPERTY = [
    # (acquired_at, acquisition, kind, raised)
    pytest.param(THREE_YEARS_AGO, "purchase", "commercial", True, id="bought-exactly-3-years-ago"),
    pytest.param(day(0), "purchase", "commercial", True, id="bought-on-as-of"),
    pytest.param(day(-1, years=-3), "purchase", "commercial", False, id="bought-3-years-and-a-day-ago"),
    pytest.param(day(-30), "resettlement", "commercial", False, id="resettlement-excepted"),
    pytest.param(day(-30), "inheritance", "commercial", False, id="inheritance-excepted"),
    pytest.param(day(-30), "purchase", "rural_homestead", False, id="village-home"),
    pytest.param(day(-30), "purchase", "other", False, id="other-kind"),
    pytest.param(day(1), "purchase", "commercial", False, id="bought-after-as-of"),
]


@pytest.mark.parametrize(("acquired_at", "acquisition", "kind", "raised"), PROPERTY)
async def test_commercial_home_bought_recently(
    api: MatchingApi, broker: Broker, acquired_at: str, acquisition: str, kind: str, raised: bool
) -> None:
    household, [person] = await watched(broker)
    fields = {"property_id": _unique("P"), "acquired_at": acquired_at, "acquisition": acquisition, "kind": kind}
    feed = await load(api, "property", [row("property", person, **fields)])

    hits = await hits_of(api, household)
    if not raised:
        assert hits == []
        return
    [hit] = hits
    check_hit(hit, Expected("property_commercial_recent", "high"), household, feed, **fields)
    assert hit.evidence_key == fields["property_id"]


async def test_a_village_home_and_a_town_home_of_two_members_are_two_homes(api: MatchingApi, broker: Broker) -> None:
    household, (head, son) = await watched(broker, 2)
    village, town = _unique("R"), _unique("C")
    feed = await load(
        api,
        "property",
        [
            row(
                "property", head, property_id=village, acquired_at=OLD, acquisition="self_built", kind="rural_homestead"
            ),
            row("property", son, property_id=town, acquired_at=OLD, acquisition="purchase", kind="commercial"),
        ],
    )

    [hit] = await hits_of(api, household)
    check_hit(hit, Expected("property_two_homes", "high"), household, feed)
    assert sorted(r["property_id"] for r in hit.evidence["records"]) == sorted([village, town])
    assert {r["kind"] for r in hit.evidence["records"]} == {"rural_homestead", "commercial"}
    assert hit.evidence_key == "|".join(sorted([village, town]))
    assert feed["hits_raised"] == 1


async def test_two_homes_with_one_bought_recently_raise_both_rules(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker)
    bought = {"acquisition": "purchase", "kind": "commercial"}
    rows = [row("property", person, property_id=_unique("C"), acquired_at=when, **bought) for when in (OLD, day(-9))]
    await load(api, "property", rows)
    hits = await hits_of(api, household)
    assert [(h.rule_id, h.severity) for h in hits] == [
        ("property_commercial_recent", "high"),
        ("property_two_homes", "high"),
    ]


ONE_HOME = [
    pytest.param([("rural_homestead", "A")], id="one-home"),
    pytest.param([("rural_homestead", "A"), ("other", "B")], id="home-and-other-property"),
    pytest.param([("commercial", "A"), ("commercial", "A")], id="one-home-co-owned"),
]


@pytest.mark.parametrize("homes", ONE_HOME)
async def test_fewer_than_two_homes_raise_nothing(
    api: MatchingApi, broker: Broker, homes: list[tuple[str, str]]
) -> None:
    household, people = await watched(broker, 2)
    ids = {tag: _unique("H") for _, tag in homes}
    rows = [
        row("property", people[i % 2], property_id=ids[tag], acquired_at=OLD, acquisition="purchase", kind=kind)
        for i, (kind, tag) in enumerate(homes)
    ]
    feed = await load(api, "property", rows)
    assert feed["hits_raised"] == 0
    assert await hits_of(api, household) == []


# --- pension insurance: normal → proof of income; terminated → check -------------------------------------------------


async def test_pension_normal_and_terminated(api: MatchingApi, broker: Broker) -> None:
    normal, [a] = await watched(broker)
    terminated, [b] = await watched(broker)
    feed = await load(
        api,
        "pension",
        [row("pension", a, status="NORMAL", monthly_amount="1234.5"), row("pension", b, status="terminated")],
    )

    [hit] = await hits_of(api, normal)
    check_hit(hit, Expected("pension_normal", "high"), normal, feed, status="normal", monthly_amount="1234.50")
    [hit] = await hits_of(api, terminated)
    check_hit(hit, Expected("pension_terminated", "medium"), terminated, feed, status="terminated")
    assert "monthly_amount" not in hit.evidence


async def test_an_unknown_pension_status_is_rejected_and_raises_nothing(api: MatchingApi, broker: Broker) -> None:
    household, [person] = await watched(broker)
    feed = await api.load("pension", f"id_number,name,status,monthly_amount\n{person},张三丰,paused,100\n")
    assert feed["rows_rejected"] == 1
    assert feed["rejects"][0]["reason"] == "invalid_status"
    assert await hits_of(api, household) == []


# --- business registration: any registration not deregistered or revoked ----------------------------------------

BUSINESS = [
    pytest.param("active", True, id="active"),
    pytest.param("suspended", True, id="suspended"),
    pytest.param("deregistered", False, id="deregistered"),
    pytest.param("Revoked", False, id="revoked"),
]


@pytest.mark.parametrize(("status", "raised"), BUSINESS)
async def test_business_registration(api: MatchingApi, broker: Broker, status: str, raised: bool) -> None:
    household, [person] = await watched(broker)
    code = _unique("91500000")
    feed = await load(api, "business", [row("business", person, credit_code=code, registered_at=OLD, status=status)])

    hits = await hits_of(api, household)
    if not raised:
        assert hits == []
        return
    [hit] = hits
    check_hit(
        hit, Expected("business_registration", "medium"), household, feed, credit_code=code, status=status.lower()
    )


# --- air travel within 12 months (seed 002) -------------------------------------------------------------------------

FLIGHTS = [
    pytest.param(YEAR_AGO, True, id="exactly-a-year-ago"),
    pytest.param(day(0), True, id="on-as-of"),
    pytest.param(YEAR_AGO_MINUS_1, False, id="a-year-and-a-day-ago"),
    pytest.param(day(1), False, id="after-as-of"),
]


@pytest.mark.parametrize(("flight_date", "raised"), FLIGHTS)
async def test_flight(api: MatchingApi, broker: Broker, flight_date: str, raised: bool) -> None:
    household, [person] = await watched(broker)
    feed = await load(api, "flight", [row("flight", person, flight_date=flight_date, route="CKG-PEK")])

    hits = await hits_of(api, household)
    if not raised:
        assert hits == []
        return
    [hit] = hits
    check_hit(hit, Expected("flight", "low"), household, feed, flight_date=flight_date, route="CKG-PEK")
    assert hit.evidence_key == f"{flight_date}|CKG-PEK"
