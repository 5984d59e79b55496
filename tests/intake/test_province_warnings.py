"""The provincial warning contract (CONTRACTS.md §4): a lead for a non-recipient, a review for a recipient,
idempotent on `warning_id`, and every bad request refused without storing anything (DOMAIN.md §8).

Who is a recipient comes from intake's projection; tests seed it by calling the projection's handlers in a
transaction of their own, with events as casework would send them. Each test uses a county of its own under
province 64, and a province client whose jurisdiction is that province.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from libs.contracts.events.base import MemberRef
from libs.contracts.events.casework import (
    EntitlementChanged,
    EntitlementStatus,
    HouseholdChange,
    HouseholdChanged,
    HouseholdChangeKind,
    HouseholdSnapshot,
)
from libs.contracts.staff import Scope, StaffRole
from libs.kernel.consumer import typed_handler
from libs.kernel.events import new_event
from libs.kernel.outbox import Outbox
from libs.kernel.pii import PiiVault
from services.intake.config import IntakeSettings
from services.intake.context import Intake
from services.intake.db import tables
from services.intake.definition import DEFINITION as INTAKE
from services.intake.recipients.handlers import on_entitlement_changed, on_household_changed
from tests.intake.support import IntakeApi, client, entitlement_changed, fresh_id, new_village, staff

WARNINGS = "/api/v1/province/warnings"
LEADS = "/api/v1/intake/leads"
PROVINCE = "64"

_COUNTIES = iter(f"{PROVINCE}{n:04d}" for n in random.sample(range(1000, 10000), 200))


def fresh_county() -> str:
    return next(_COUNTIES)


_PROVINCE_CLIENT = client(Scope.province, PROVINCE)


def province() -> Any:
    """The provincial system's client: a repeat only counts as one from the same client."""
    return _PROVINCE_CLIENT


def warning(region: str, id_number: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "warning_id": f"pw-{uuid.uuid4()}",
        "raised_at": "2026-11-20T09:00:00+08:00",
        "region_code": region,
        "kind": "income_drop",
        "person": {"id_number": id_number, "name": "孙立新"},
        "detail": "家庭月收入较上月下降60%",
    }
    return body | overrides


def context(api: IntakeApi) -> Intake:
    settings = IntakeSettings()
    return Intake(
        vault=PiiVault(settings.pii_key.get_secret_value()),
        outbox=Outbox(tables.outbox, settings),
        source=INTAKE.name,
        settings=settings,
        sessions=api.db.sessions,
    )


async def entitlement(
    api: IntakeApi, household_id: str, region: str, ids: list[str], status: EntitlementStatus, at: datetime
) -> None:
    """Casework's `entitlement-changed` for a dibao household, applied to intake's projection."""
    payload = entitlement_changed(household_id, region, ids, status, at, name="孙立新")
    event = new_event(payload.event_type, source="casework", subject=f"household/{household_id}", data=payload)
    async with api.db.sessions.begin() as session:
        await typed_handler(EntitlementChanged, context(api), on_entitlement_changed)(session, event)


async def household_closed(api: IntakeApi, household_id: str, region: str, ids: list[str], at: datetime) -> None:
    payload = HouseholdChanged(
        household=HouseholdSnapshot(
            household_id=household_id,
            region_code=region,
            members=tuple(MemberRef(id_number=i, name="孙立新", relation="head") for i in ids),
            closed=True,
        ),
        changes=(HouseholdChange(kind=HouseholdChangeKind.CLOSED),),
        changed_at=at,
    )
    event = new_event(payload.event_type, source="casework", subject=f"household/{household_id}", data=payload)
    async with api.db.sessions.begin() as session:
        await typed_handler(HouseholdChanged, context(api), on_household_changed)(session, event)


async def warning_leads(api: IntakeApi, region: str) -> list[dict[str, Any]]:
    answer = await api.get(
        LEADS, staff(StaffRole.county_officer, region[:6]), {"region_code": region, "source": "province_warning"}
    )
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json()["items"]
    return items


async def outbox_keys(api: IntakeApi, subject: str) -> list[tuple[str, str]]:
    """(event type, Kafka key) of intake's outbox rows about `subject`."""
    events = {e.id: e.type for e in await api.outbox_events(subject)}
    async with api.db.sessions() as session:
        rows = (await session.execute(select(tables.outbox.c.event_id, tables.outbox.c.key))).all()
    return [(events[str(r.event_id)], r.key) for r in rows if str(r.event_id) in events]


# ---- not a recipient: a lead -------------------------------------------------------------------------------------


async def test_a_warning_about_a_non_recipient_becomes_a_lead_once(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    body = warning(village, fresh_id(date(1968, 2, 3)))
    api.clock.set_day(date(2026, 11, 23))

    first = await api.post(WARNINGS, province(), body)

    assert first.status_code == 202, first.text
    answer = first.json()
    assert (answer["warning_id"], answer["outcome"], answer["case_id"]) == (body["warning_id"], "lead", None)
    lead = await api.get(f"{LEADS}/{answer['lead_id']}", staff(StaffRole.township_officer, village[:9]))
    assert (lead.json()["source"], lead.json()["source_ref"], lead.json()["kind"]) == (
        "province_warning",
        body["warning_id"],
        "income_drop",
    )
    # Mon 23 Nov 2026 + 5 working days (no holiday in between) → Mon 30 Nov.
    assert (lead.json()["status"], lead.json()["due_date"], lead.json()["name"]) == ("open", "2026-11-30", "孙*新")
    assert lead.json()["detail"] == body["detail"]

    again = await api.post(WARNINGS, province(), body)  # another client of the province, same warning

    assert (again.status_code, again.json()) == (200, answer)
    assert [item["lead_id"] for item in await warning_leads(api, village)] == [answer["lead_id"]]


async def test_the_same_moment_written_in_utc_is_the_same_warning(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    body = warning(village, fresh_id(date(1971, 4, 5)))
    first = await api.post(WARNINGS, province(), body)

    again = await api.post(WARNINGS, province(), body | {"raised_at": "2026-11-20T01:00:00Z"})

    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json() == first.json()
    assert len(await warning_leads(api, village)) == 1


async def test_the_same_warning_from_another_client_is_409(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    body = warning(village, fresh_id(date(1969, 8, 9)))
    assert (await api.post(WARNINGS, province(), body)).status_code == 202

    other = await api.post(WARNINGS, client(Scope.province, PROVINCE), body)

    assert (other.status_code, other.json()["code"]) == (409, "warning_id_reused")
    assert len(await warning_leads(api, village)) == 1


async def test_a_reused_warning_id_with_other_content_is_409_and_changes_nothing(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    body = warning(village, fresh_id(date(1968, 2, 3)))
    first = (await api.post(WARNINGS, province(), body)).json()

    for changed in (
        body | {"detail": "另一条预警"},
        body | {"kind": "disaster"},
        body | {"person": {**body["person"], "id_number": fresh_id(date(1971, 5, 6))}},
    ):
        reused = await api.post(WARNINGS, province(), changed)
        assert (reused.status_code, reused.json()["code"]) == (409, "warning_id_reused")

    [lead] = await warning_leads(api, village)
    assert lead["lead_id"] == first["lead_id"]
    shown = await api.get(f"{LEADS}/{lead['lead_id']}", staff(StaffRole.county_officer, village[:6]))
    assert (shown.json()["kind"], shown.json()["detail"]) == ("income_drop", body["detail"])
    assert (await api.post(WARNINGS, province(), body)).json() == first


async def test_only_a_province_client_may_send_a_warning_and_a_refusal_stores_nothing(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    body = warning(village, fresh_id(date(1980, 8, 8)))

    refused = [
        await api.post(WARNINGS, staff(StaffRole.county_officer, village[:6]), body),
        await api.post(WARNINGS, staff(StaffRole.system_admin, ""), body),
        await api.post(WARNINGS, client(Scope.hotline, PROVINCE), body),
        await api.post(WARNINGS, client(Scope.province, "63"), body),  # another province's client
        await api.http.post(WARNINGS, json=body),
    ]

    assert [(r.status_code, r.json()["code"]) for r in refused] == [
        (403, "scope_required"),
        (403, "scope_required"),
        (403, "scope_required"),
        (403, "outside_jurisdiction"),
        (401, "missing_principal"),
    ]
    assert await warning_leads(api, village) == []
    # The id was not taken by any of them: the first accepted delivery makes the lead.
    accepted = await api.post(WARNINGS, province(), body)
    assert (accepted.status_code, accepted.json()["outcome"]) == (202, "lead")


async def test_invalid_warnings_are_422_and_store_nothing(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    id_number = fresh_id(date(1966, 10, 1))
    wrong_check = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")
    body = warning(village, id_number)
    cases: list[tuple[dict[str, Any], list[Any]]] = [
        (body | {"person": {"id_number": wrong_check, "name": "孙立新"}}, ["body", "person", "id_number"]),
        (body | {"person": {"id_number": "12345", "name": "孙立新"}}, ["body", "person", "id_number"]),
        (body | {"region_code": PROVINCE + "01"}, ["body", "region_code"]),
        (body | {"kind": "lottery_win"}, ["body", "kind"]),
        (body | {"raised_at": "2026-11-20T09:00:00"}, ["body", "raised_at"]),
        (body | {"warning_id": ""}, ["body", "warning_id"]),
        ({k: v for k, v in body.items() if k != "person"}, ["body", "person"]),
    ]
    for bad, loc in cases:
        refused = await api.post(WARNINGS, province(), bad)
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_failed"), bad
        assert loc in [e["loc"] for e in refused.json()["errors"]], refused.json()
        assert wrong_check not in refused.text

    assert await warning_leads(api, village) == []
    assert (await api.post(WARNINGS, province(), body)).status_code == 202


# ---- a recipient: a review ---------------------------------------------------------------------------------------


async def test_a_warning_about_a_recipient_requests_a_review_keyed_by_household(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    person, spouse = fresh_id(date(1960, 1, 1)), fresh_id(date(1962, 2, 2))
    household_id = f"hh-{uuid.uuid4()}"
    await entitlement(api, household_id, village, [person, spouse], EntitlementStatus.ACTIVE, datetime.now(UTC))
    body = warning(village, spouse, kind="serious_illness")

    first = await api.post(WARNINGS, province(), body)

    assert first.status_code == 202, first.text
    answer = first.json()
    assert (answer["outcome"], answer["household_id"], answer["lead_id"]) == ("review", household_id, None)
    assert answer["case_id"]
    subject = f"household/{household_id}"
    assert await outbox_keys(api, subject) == [("review-requested", household_id)]
    [event] = await api.outbox_events(subject)
    assert event.source == "intake"
    assert {k: event.data[k] for k in ("case_id", "household_id", "region_code", "reason", "source", "source_ref")} == {
        "case_id": answer["case_id"],
        "household_id": household_id,
        "region_code": village,
        "reason": "serious_illness",
        "source": "province_warning",
        "source_ref": body["warning_id"],
    }
    assert event.data["person"] == {"id_number": spouse, "name": "孙立新"}

    again = await api.post(WARNINGS, province(), body)

    assert (again.status_code, again.json()) == (200, answer)
    assert len(await api.outbox_events(subject)) == 1
    assert await warning_leads(api, village) == []


async def test_a_recipient_household_outside_the_clients_province_is_not_revealed(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    elsewhere = new_village("650102")  # another province: not this client's to see
    person = fresh_id(date(1961, 3, 3))
    household_id = f"hh-{uuid.uuid4()}"
    await entitlement(api, household_id, elsewhere, [person], EntitlementStatus.ACTIVE, datetime.now(UTC))

    answer = await api.post(WARNINGS, province(), warning(village, person))

    assert answer.status_code == 202, answer.text
    assert (answer.json()["outcome"], answer.json()["household_id"]) == ("lead", None)
    assert household_id not in answer.text
    assert await outbox_keys(api, f"household/{household_id}") == []


async def test_a_stopped_household_is_no_longer_a_recipient(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    person = fresh_id(date(1955, 3, 3))
    household_id = f"hh-{uuid.uuid4()}"
    now = datetime.now(UTC)
    await entitlement(api, household_id, village, [person], EntitlementStatus.ACTIVE, now - timedelta(days=30))
    await entitlement(api, household_id, village, [person], EntitlementStatus.STOPPED, now)

    answer = await api.post(WARNINGS, province(), warning(village, person))

    assert (answer.status_code, answer.json()["outcome"], answer.json()["household_id"]) == (202, "lead", None)
    assert await api.outbox_events(f"household/{household_id}") == []


async def test_a_closed_household_is_no_longer_a_recipient(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    person = fresh_id(date(1950, 4, 4))
    household_id = f"hh-{uuid.uuid4()}"
    now = datetime.now(UTC)
    await entitlement(api, household_id, village, [person], EntitlementStatus.ACTIVE, now - timedelta(days=1))
    await household_closed(api, household_id, village, [person], now)

    answer = await api.post(WARNINGS, province(), warning(village, person, kind="death"))

    assert (answer.status_code, answer.json()["outcome"]) == (202, "lead")
    [lead] = await warning_leads(api, village)
    assert (lead["lead_id"], lead["kind"]) == (answer.json()["lead_id"], "death")
    assert await api.outbox_events(f"household/{household_id}") == []


async def test_a_suspended_household_is_still_a_recipient(api: IntakeApi) -> None:
    village = new_village(fresh_county())
    person = fresh_id(date(1957, 7, 7))
    household_id = f"hh-{uuid.uuid4()}"
    await entitlement(api, household_id, village, [person], EntitlementStatus.SUSPENDED, datetime.now(UTC))

    answer = await api.post(WARNINGS, province(), warning(village, person))

    assert (answer.status_code, answer.json()["outcome"], answer.json()["household_id"]) == (
        202,
        "review",
        household_id,
    )
