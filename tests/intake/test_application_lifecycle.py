"""An application through the API from draft to acceptance (DOMAIN.md §3): state, history and outbox rows."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from libs.contracts.events.intake import BANK_ACCOUNT_SEAL_CONTEXT
from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from libs.kernel.pii import PiiVault
from services.intake.definition import DEFINITION as INTAKE
from tests.intake.support import IntakeApi, application_body, new_village, outbox_rows, staff, version_count

BASE = "/api/v1/intake/applications"
ACCOUNT = "6222020000000000000"
# Tuesday 10 Feb 2026: 30 working days end Mon 30 Mar, 45 end Tue 21 Apr (DOMAIN.md §10, Spring Festival 15–23 Feb).
ACCEPTED_ON = date(2026, 2, 10)
DUE_30 = "2026-03-30"
DUE_45 = "2026-04-21"
RETURN = {"missing": [{"item": "户口簿复印件", "note": "all pages"}, {"item": "残疾证"}]}


def officer(village: str, **kw: Any) -> Principal:
    return staff(StaffRole.township_officer, village[:9], **kw)


def vault() -> PiiVault:
    return PiiVault(INTAKE.settings().pii_key.get_secret_value())


async def national_village(api: IntakeApi) -> str:
    """A village whose own rule pins the national figures (30/45/3), so no local rule elsewhere moves its dates."""
    village = new_village()
    rule = {"region_prefix": village, "effective_from": "2026-01-01", "decision_days": 30, "extended_days": 45}
    r = await api.post("/api/v1/intake/procedure-rules", staff(StaffRole.county_officer, village[:6]), rule)
    assert r.status_code == 201, r.text
    return village


async def created(api: IntakeApi, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
    r = await api.post(BASE, who, body)
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


async def act(api: IntakeApi, who: Principal, app_id: str, action: str, body: Any = None) -> dict[str, Any]:
    r = await api.post(f"{BASE}/{app_id}/{action}", who, body)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


async def accepted(api: IntakeApi, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
    app_id = (await created(api, who, body))["application_id"]
    await act(api, who, app_id, "submit")
    return await act(api, who, app_id, "accept")


async def fetched(api: IntakeApi, who: Principal, app_id: str) -> dict[str, Any]:
    r = await api.get(f"{BASE}/{app_id}", who)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def actions(app: dict[str, Any]) -> list[str]:
    return [h["action"] for h in app["history"]]


# ---- draft ------------------------------------------------------------------------------------------------------


async def test_create_opens_a_numbered_draft(api: IntakeApi) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = new_village()
    app = await created(api, officer(village), application_body(village))
    assert app["status"] == "draft"
    assert re.fullmatch(r"140402-2026-\d{6}", app["application_no"])
    assert (app["version"], app["member_count"], app["region_code"]) == (1, 3, village)
    assert (app["due_date"], app["accepted_at"]) == (None, None)
    assert actions(app) == ["created"]
    assert await outbox_rows(api, app["application_id"]) == []


async def test_update_writes_a_new_version_and_keeps_the_history(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await created(api, who, body))["application_id"]
    body["members"] = body["members"][:2]
    r = await api.put(f"{BASE}/{app_id}", who, body)
    assert r.status_code == 200, r.text
    app = await fetched(api, who, app_id)
    assert (app["version"], app["member_count"], app["status"]) == (2, 2, "draft")
    assert [(h["action"], h["version"]) for h in app["history"]] == [("created", 1), ("updated", 2)]
    assert await version_count(api, app_id) == 2


async def test_the_filer_takes_a_draft_up_again_as_typed_and_the_reveal_is_audited(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await created(api, who, body))["application_id"]
    r = await api.get(f"{BASE}/{app_id}/content", who)
    assert r.status_code == 200, r.text
    content = r.json()
    assert [m["id_number"] for m in content["members"]] == [m["id_number"] for m in body["members"]]
    assert content["bank_account"]["account_no"] == ACCOUNT
    assert r.headers["x-jiuzhu-audit"] == f"application.content_revealed application/{app_id}"
    # What comes back goes back unchanged: the next step of the form replaces the draft with it.
    assert (await api.put(f"{BASE}/{app_id}", who, content)).status_code == 200


async def test_a_submitted_application_or_another_township_gets_no_content(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    app_id = (await created(api, who, application_body(village)))["application_id"]
    elsewhere = await api.get(f"{BASE}/{app_id}/content", officer(new_village("140403")))
    assert elsewhere.status_code == 403
    await act(api, who, app_id, "submit")
    r = await api.get(f"{BASE}/{app_id}/content", who)
    assert (r.status_code, r.json()["code"]) == (409, "invalid_status")
    assert "x-jiuzhu-audit" not in r.headers


# ---- submission -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("declaration", ["truthfulness_commitment", "verification_authorisation"])
async def test_submission_needs_the_declarations_signed(api: IntakeApi, declaration: str) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    body["declarations"][declaration] = False
    app_id = (await created(api, who, body))["application_id"]
    r = await api.post(f"{BASE}/{app_id}/submit", who)
    assert r.status_code == 422
    assert r.json()["code"] == "declaration_required"
    assert [e["loc"] for e in r.json()["errors"]] == [["application", "declarations", declaration]]
    # Each field's own rule in Chinese, for the form that shows it beside the field.
    assert r.json()["errors"][0]["title_zh"] == r.json()["title_zh"]
    app = await fetched(api, who, app_id)
    assert (app["status"], actions(app)) == ("draft", ["created"])


async def test_submission_needs_a_bank_account(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    app_id = (await created(api, who, application_body(village, bank_account=None)))["application_id"]
    r = await api.post(f"{BASE}/{app_id}/submit", who)
    assert r.status_code == 422
    assert (r.json()["code"], r.json()["errors"][0]["loc"]) == (
        "bank_account_required",
        ["application", "bank_account"],
    )
    assert (await fetched(api, who, app_id))["status"] == "draft"


async def test_a_marginal_household_submits_without_a_bank_account(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    app_id = (await created(api, who, application_body(village, program="marginal", bank_account=None)))[
        "application_id"
    ]
    app = await act(api, who, app_id, "submit")
    assert app["status"] == "submitted"
    assert actions(app) == ["created", "submitted"]


# ---- acceptance -------------------------------------------------------------------------------------------------


async def test_acceptance_starts_the_clock_and_announces_the_application(api: IntakeApi) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = await national_village(api)
    body = application_body(village)
    app = await accepted(api, officer(village), body)
    assert (app["status"], app["due_date"], app["due_date_provisional"]) == ("accepted", DUE_30, False)
    assert app["accepted_at"].startswith("2026-02-10")
    assert app["history"][-1]["detail"] == {"due_date": DUE_30, "provisional": False}

    rows = await outbox_rows(api, app["application_id"])
    assert [e.type for _, e in rows] == ["application-submitted"]
    key, event = rows[0]
    ids = [m["id_number"] for m in body["members"]]
    applicant = body["applicant_id_number"]
    assert key == vault().keyed_hash(applicant)
    assert applicant not in key
    data = event.data
    assert (data["application_no"], data["program"], data["due_date"]) == (app["application_no"], "dibao", DUE_30)
    assert data["applicant"]["id_number"] == applicant
    assert [m["id_number"] for m in data["members"]] == ids
    assert [m["id_number"] for m in data["member_details"]] == ids
    assert data["member_details"][2]["birth_date"] == "2010-09-30"
    account = data["payment_account"]
    assert account["account_no_masked"] == "6222***********0000"
    assert account["account_no_sealed"] != ACCOUNT
    assert vault().decrypt(account["account_no_sealed"], context=BANK_ACCOUNT_SEAL_CONTEXT) == ACCOUNT
    assert ACCOUNT not in event.to_bytes().decode()


async def test_emergency_temporary_assistance_is_due_in_three_working_days(api: IntakeApi) -> None:
    # Thu 12 Feb 2026: Fri 13, the make-up Saturday 14, then the Spring Festival break to Mon 23 (seed 004 §7).
    api.clock.set_day(date(2026, 2, 12))
    village = await national_village(api)
    app = await accepted(api, officer(village), application_body(village, program="temporary", emergency=True))
    assert (app["emergency"], app["due_date"]) == (True, "2026-02-24")
    event = (await outbox_rows(api, app["application_id"]))[0][1]
    assert (event.data["emergency"], event.data["due_date"]) == (True, "2026-02-24")


# ---- return for supplement (一次性告知) ----------------------------------------------------------------------------


async def test_return_lists_what_is_missing_once(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await created(api, who, body))["application_id"]
    await act(api, who, app_id, "submit")
    app = await act(api, who, app_id, "return", RETURN)
    assert app["status"] == "returned"
    assert app["missing_items"] == [{"item": "户口簿复印件", "note": "all pages"}, {"item": "残疾证", "note": ""}]

    body["note"] = "补充了户口簿和残疾证"
    r = await api.put(f"{BASE}/{app_id}", who, body)
    assert r.status_code == 200, r.text
    assert (await act(api, who, app_id, "submit"))["status"] == "submitted"

    r = await api.post(f"{BASE}/{app_id}/return", who, {"missing": [{"item": "another list"}]})
    assert (r.status_code, r.json()["code"]) == (409, "already_returned")
    app = await fetched(api, who, app_id)
    assert app["status"] == "submitted"
    assert app["missing_items"][0]["item"] == "户口簿复印件"
    assert actions(app) == ["created", "submitted", "returned", "updated", "submitted"]
    assert await outbox_rows(api, app_id) == []


async def test_a_return_needs_a_missing_list(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    app_id = (await created(api, who, application_body(village)))["application_id"]
    await act(api, who, app_id, "submit")
    bodies: list[dict[str, Any]] = [{"missing": []}, {}, {"missing": [{"item": ""}]}]
    for bad in bodies:
        r = await api.post(f"{BASE}/{app_id}/return", who, bad)
        assert r.status_code == 422, bad
    app = await fetched(api, who, app_id)
    assert (app["status"], app["missing_items"], actions(app)) == ("submitted", None, ["created", "submitted"])


# ---- extension --------------------------------------------------------------------------------------------------


async def test_the_deadline_extends_once_counted_from_acceptance(api: IntakeApi) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = await national_village(api)
    who = officer(village)
    app_id = (await accepted(api, who, application_body(village)))["application_id"]
    api.clock.set_day(date(2026, 3, 16))
    app = await act(api, who, app_id, "extend", {"reason": "需县级入户调查"})
    assert (app["due_date"], app["extension_reason"]) == (DUE_45, "需县级入户调查")
    assert app["history"][-1]["action"] == "extended"

    r = await api.post(f"{BASE}/{app_id}/extend", who, {"reason": "again"})
    assert (r.status_code, r.json()["code"]) == (409, "already_extended")
    app = await fetched(api, who, app_id)
    assert (app["due_date"], app["extension_reason"]) == (DUE_45, "需县级入户调查")
    events = [e for _, e in await outbox_rows(api, app_id)]
    assert [e.type for e in events] == ["application-submitted", "application-deadline-extended"]
    assert events[1].data["due_date"] == DUE_45
    assert events[1].data["reason"] == "需县级入户调查"


async def test_an_extension_needs_a_reason(api: IntakeApi) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = await national_village(api)
    who = officer(village)
    app_id = (await accepted(api, who, application_body(village)))["application_id"]
    bodies: list[dict[str, Any]] = [{}, {"reason": "   "}, {"reason": 45}]
    for bad in bodies:
        r = await api.post(f"{BASE}/{app_id}/extend", who, bad)
        assert r.status_code == 422, bad
    app = await fetched(api, who, app_id)
    assert (app["due_date"], app["extension_reason"]) == (DUE_30, None)
    assert len(await outbox_rows(api, app_id)) == 1


# ---- withdrawal -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("steps", [[], ["submit"], ["submit", "return"]])
async def test_withdrawal_before_acceptance_is_not_announced(api: IntakeApi, steps: list[str]) -> None:
    village = new_village()
    who = officer(village)
    app_id = (await created(api, who, application_body(village)))["application_id"]
    for step in steps:
        await act(api, who, app_id, step, RETURN if step == "return" else None)
    app = await act(api, who, app_id, "withdraw", {"reason": "申请人撤回"})
    assert (app["status"], app["withdrawal_reason"]) == ("withdrawn", "申请人撤回")
    assert await outbox_rows(api, app_id) == []


async def test_withdrawal_after_acceptance_is_announced(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await accepted(api, who, body))["application_id"]
    app = await act(api, who, app_id, "withdraw", {"reason": "已外出务工"})
    assert app["status"] == "withdrawn"
    rows = await outbox_rows(api, app_id)
    assert [e.type for _, e in rows] == ["application-submitted", "application-withdrawn"]
    key, event = rows[1]
    assert key == vault().keyed_hash(body["applicant_id_number"])
    assert (event.data["application_id"], event.data["reason"]) == (app_id, "已外出务工")


async def test_a_withdrawal_needs_a_reason(api: IntakeApi) -> None:
    village = new_village()
    who = officer(village)
    app_id = (await created(api, who, application_body(village)))["application_id"]
    bodies: list[Any] = [None, {}, {"reason": ""}, {"reason": ["不想要了"]}, {"reason": "x", "by": "phone"}]
    for bad in bodies:
        assert (await api.post(f"{BASE}/{app_id}/withdraw", who, bad)).status_code == 422, bad
    app = await fetched(api, who, app_id)
    assert (app["status"], app["withdrawal_reason"], actions(app)) == ("draft", None, ["created"])


# ---- transitions not allowed ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "action", "status_now"),
    [
        ([], "accept", "draft"),
        ([], "return", "draft"),
        ([], "extend", "draft"),
        (["submit"], "submit", "submitted"),
        (["submit"], "update", "submitted"),
        (["submit"], "extend", "submitted"),
        (["submit", "accept"], "accept", "accepted"),
        (["submit", "accept"], "update", "accepted"),
        (["submit", "accept"], "return", "accepted"),
        (["withdraw"], "withdraw", "withdrawn"),
        (["withdraw"], "submit", "withdrawn"),
        (["withdraw"], "update", "withdrawn"),
    ],
)
async def test_transitions_not_allowed_change_nothing(
    api: IntakeApi, steps: list[str], action: str, status_now: str
) -> None:
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await created(api, who, body))["application_id"]
    for step in steps:
        await act(api, who, app_id, step, {"reason": "撤回"} if step == "withdraw" else None)
    before = await fetched(api, who, app_id)
    events_before = len(await outbox_rows(api, app_id))
    payloads: dict[str, Any] = {"return": RETURN, "extend": {"reason": "x"}, "withdraw": {"reason": "x"}}
    if action == "update":
        r = await api.put(f"{BASE}/{app_id}", who, body)
    else:
        r = await api.post(f"{BASE}/{app_id}/{action}", who, payloads.get(action))
    assert r.status_code == 409
    assert (r.json()["code"], r.json()["status_now"]) == ("invalid_status", status_now)
    assert await fetched(api, who, app_id) == before
    assert len(await outbox_rows(api, app_id)) == events_before


async def test_an_unknown_application_is_404(api: IntakeApi) -> None:
    who = officer(new_village())
    assert (await api.get(f"{BASE}/no-such-application", who)).status_code == 404
    r = await api.post(f"{BASE}/no-such-application/accept", who)
    assert (r.status_code, r.json()["code"]) == (404, "application_not_found")


# ---- the detail view ------------------------------------------------------------------------------------------


async def test_the_detail_masks_identity_numbers_and_shows_the_whole_history(api: IntakeApi) -> None:
    api.clock.set_day(ACCEPTED_ON)
    village = new_village()
    who = officer(village)
    body = application_body(village)
    app_id = (await accepted(api, who, body))["application_id"]
    await act(api, who, app_id, "extend", {"reason": "特殊情况"})
    r = await api.get(f"{BASE}/{app_id}", staff(StaffRole.county_officer, village[:6]))
    assert r.status_code == 200
    for m in body["members"]:
        assert m["id_number"] not in r.text
    assert ACCOUNT not in r.text
    app = r.json()
    masked = [m["id_number"][:6] + "********" + m["id_number"][14:] for m in body["members"]]
    assert [m["id_number_masked"] for m in app["members"]] == masked
    assert app["bank_account"] == {
        "bank_code": "ICBC",
        "account_no_masked": "6222***********0000",
        "holder_name": "王建国",
    }
    assert (app["applicant_name"], app["applicant_name_full"]) == ("王*国", "王建国")
    assert [(h["action"], h["status"], h["actor"]) for h in app["history"]] == [
        ("created", "draft", who.subject),
        ("submitted", "submitted", who.subject),
        ("accepted", "accepted", who.subject),
        ("extended", "accepted", who.subject),
    ]
    assert app["history"][-1]["note"] == "特殊情况"
