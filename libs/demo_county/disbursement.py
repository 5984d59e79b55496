"""The demo county's payment roster: once casework's recipients have reached disbursement's ledger, the county
officer builds, locks and submits the county's roster of the current month (DOMAIN.md §9), and the finance bureau's
client finds it in its list (CONTRACTS.md §3). Nothing else is written: no results, no holds, no one-offs.

Everything goes through the gateway. The waits are bounded, so `make run` never hangs on a missing event: the ledger
must fill within `LEDGER_TIMEOUT` (else the demo fails, like matching's); 陈老汉's death hold (matching's death feed)
is waited for a shorter while and is not required, since a roster built before it is rebuilt at lock time anyway.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from libs.contracts.clock import china_today
from libs.demo_county.http import demo_client, partner_token
from libs.demo_county.intake import Staff

ROSTERS = "/api/v1/disbursement/rosters"
LEDGER_TIMEOUT = 90.0
DEATH_TIMEOUT = 60.0
LOCK_ATTEMPTS = 5


def _get(staff: Staff, path: str, params: dict[str, str] | None = None) -> httpx.Response:
    return staff.client.get(path, params=params, headers={"Authorization": f"Bearer {staff.token}"})


def _in_ledger(officer: Staff, county: str) -> bool:
    """Every programme casework pays in the county is an entitlement in disbursement's ledger."""
    reply = _get(officer, "/api/v1/casework/households", {"region_code": county, "status": "active"})
    if reply.status_code != 200 or not reply.json()["items"]:
        return False
    for household in reply.json()["items"]:
        file = _get(officer, f"/api/v1/disbursement/households/{household['household_id']}")
        if file.status_code != 200:
            return False
        if not set(household["programs"]) <= {e["program"] for e in file.json()["entitlements"]}:
            return False
    return True


def _death_held(officer: Staff, county: str) -> bool:
    reply = _get(officer, "/api/v1/disbursement/holds", {"region_code": county, "kind": "death"})
    return reply.status_code == 200 and bool(reply.json()["items"])


def _wait(check: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def _act(officer: Staff, roster_id: str, action: str) -> httpx.Response:
    return officer.client.post(f"{ROSTERS}/{roster_id}/{action}", headers={"Authorization": f"Bearer {officer.token}"})


def _lock(officer: Staff, roster_id: str) -> None:
    """Lock; a ledger that moved since the build (an event arriving meanwhile) is `roster_outdated`: rebuild, retry."""
    for _ in range(LOCK_ATTEMPTS):
        reply = _act(officer, roster_id, "lock")
        if reply.status_code == 200:
            return
        if reply.status_code != 409 or reply.json().get("code") != "roster_outdated":
            break
        rebuilt = _act(officer, roster_id, "rebuild")
        if rebuilt.status_code != 200:
            reply = rebuilt
            break
    raise RuntimeError(f"demo county: locking roster {roster_id} answered {reply.status_code}: {reply.text}")


def load_disbursement_demo(base_url: str, county: str, passwords: dict[str, str], partner: dict[str, Any]) -> None:
    period = china_today().strftime("%Y-%m")
    with demo_client(base_url, timeout=60) as client:
        officer = Staff.sign_in(client, "county.officer", passwords["county.officer"])
        if not _wait(lambda: _in_ledger(officer, county), LEDGER_TIMEOUT):
            raise RuntimeError("demo county: casework's entitlements did not reach disbursement's ledger in time")
        _wait(lambda: _death_held(officer, county), DEATH_TIMEOUT)
        roster = officer.post(ROSTERS, {"region_code": county, "period": period}, expect=201)
        _lock(officer, roster["roster_id"])
        officer.post(f"{ROSTERS}/{roster['roster_id']}/submit")
        token = partner_token(client, partner)
        listed = client.get(
            "/api/v1/finance/rosters",
            params={"period": period, "region_code": county, "status": "submitted"},
            headers={"Authorization": f"Bearer {token}"},
        )
        if listed.status_code != 200 or roster["roster_id"] not in {r["roster_id"] for r in listed.json()["items"]}:
            raise RuntimeError(f"demo county: finance does not see roster {roster['roster_id']}: {listed.text}")
