"""`make run` as a newcomer uses it: the whole system comes up, answers through the gateway, stops cleanly on
Ctrl-C, and the next run finds its data again."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from libs.devstack.processes import free_port
from tests.e2e.privacy import scan
from tests.support.service_process import REPO_ROOT

STARTUP_TIMEOUT = 180.0


def _start(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS"}}
    env.update({"JIUZHU_DATA_DIR": str(data_dir), "JIUZHU_GATEWAY_PORT": str(port), "PYTHONPATH": str(REPO_ROOT)})
    out = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "libs.devstack.run"], cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
    )


def _wait_for_banner(proc: subprocess.Popen[bytes], log: Path, runs: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while log.read_text().count("Jiuzhu is running.") < runs:
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def _stop(proc: subprocess.Popen[bytes]) -> list[psutil.Process]:
    children: list[psutil.Process] = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(60) == 0
    return children


def _token(base: str, password: str, username: str = "admin") -> str:
    reply = httpx.post(
        f"{base}/api/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
    )
    assert reply.status_code == 200, reply.text
    return str(reply.json()["access_token"])


def _assert_demo_intake(base: str, demo: dict[str, Any]) -> None:
    """The township officer sees the demo county's applications, accepted (dated) ones first, and the referrals."""
    township = next(s for s in demo["staff"] if s["username"] == "township.officer")
    headers = {"Authorization": f"Bearer {_token(base, township['password'], 'township.officer')}"}
    listed = httpx.get(f"{base}/api/v1/intake/applications", headers=headers)
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert sorted(a["status"] for a in items) == ["accepted", "accepted", "draft", "returned", "submitted"]
    assert [a["status"] for a in items[:2]] == ["accepted", "accepted"]
    assert all(a["due_date"] is not None for a in items[:2])
    assert [a["close_relative_declared"] for a in items].count(True) == 1
    # The village's own referrals; the demo's hotline request for help adds a lead of source `hotline` (complaints).
    leads = httpx.get(f"{base}/api/v1/intake/leads", params={"source": "village_referral"}, headers=headers)
    assert leads.status_code == 200, leads.text
    assert [(lead["source"], lead["status"]) for lead in leads.json()["items"]] == [("village_referral", "open")] * 2


def _assert_demo_casework(base: str, demo: dict[str, Any]) -> None:
    """The county's standards and imported recipients; intake's two accepted applications opened cases via Kafka, and
    matching's verification reports moved them on to investigation."""
    county = next(s for s in demo["staff"] if s["username"] == "county.officer")
    headers = {"Authorization": f"Bearer {_token(base, county['password'], 'county.officer')}"}
    households = httpx.get(f"{base}/api/v1/casework/households", params={"region_code": "140402"}, headers=headers)
    assert households.status_code == 200, households.text
    assert sorted(h["member_count"] for h in households.json()["items"]) == [1, 2, 3]
    figures = httpx.get(
        f"{base}/api/v1/casework/standards/in-force", params={"region_code": "140402001001"}, headers=headers
    ).json()["figures"]
    assert figures["dibao_standard"]["value"] == "700.00"
    deadline = time.monotonic() + 60
    while True:
        cases = httpx.get(f"{base}/api/v1/casework/cases", params={"trigger": "application"}, headers=headers).json()[
            "items"
        ]
        if [c["status"] for c in cases] == ["investigating"] * 2:
            break
        assert time.monotonic() < deadline, cases
        time.sleep(0.2)


def _assert_demo_matching(base: str, demo: dict[str, Any]) -> None:
    """The demo registry feeds went through the gateway: the township has a car and a flat to check, and a death
    opened a review in casework through the broker."""
    township = next(s for s in demo["staff"] if s["username"] == "township.officer")
    county = next(s for s in demo["staff"] if s["username"] == "county.officer")
    as_township = {"Authorization": f"Bearer {_token(base, township['password'], 'township.officer')}"}
    as_county = {"Authorization": f"Bearer {_token(base, county['password'], 'county.officer')}"}
    deadline = time.monotonic() + 90
    while True:
        hits = httpx.get(f"{base}/api/v1/matching/hits", headers=as_township).json()["items"]
        deaths = httpx.get(f"{base}/api/v1/matching/deaths", headers=as_county).json()["items"]
        cases = httpx.get(f"{base}/api/v1/casework/cases", params={"trigger": "death"}, headers=as_county).json()
        if len(hits) == 2 and len(deaths) == 1 and len(cases["items"]) == 1:
            break
        assert time.monotonic() < deadline, (hits, deaths, cases)
        time.sleep(0.5)
    assert sorted(h["rule"] for h in hits) == ["property_commercial_recent", "vehicle_not_deregistered"]
    assert {h["township_code"] for h in hits} == {"140402001"}
    assert deaths[0]["person_name_masked"] == "陈*汉"
    assert deaths[0]["death_date"] == "2026-11-10"


def _assert_demo_disbursement(base: str, demo: dict[str, Any]) -> None:
    """The county officer submitted the county's roster of the month: the finance client lists it with its lines, and
    the CSV it streams through the gateway hashes to the roster's checksum."""
    headers = _partner_headers(base, demo, "finance")
    listed = httpx.get(
        f"{base}/api/v1/finance/rosters", params={"region_code": "140402", "status": "submitted"}, headers=headers
    )
    assert listed.status_code == 200, listed.text
    [roster] = listed.json()["items"]
    assert roster["region_code"] == "140402"
    assert roster["line_count"] >= 1
    assert roster["checksum"].startswith("sha256:")
    csv = httpx.get(f"{base}/api/v1/finance/rosters/{roster['roster_id']}/lines.csv", headers=headers)
    assert csv.status_code == 200, csv.text
    assert f"sha256:{hashlib.sha256(csv.content).hexdigest()}" == roster["checksum"]
    assert csv.content.startswith("\ufeffline_id,line_no,".encode())
    assert csv.content.count(b"\r\n") == roster["line_count"] + 1  # the header and one row per line


def _partner_headers(base: str, demo: dict[str, Any], scope: str) -> dict[str, str]:
    partner = next(p for p in demo["partners"] if scope in p["scopes"])
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": partner["client_id"],
            "client_secret": partner["client_secret"],
        },
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def _assert_demo_complaints(base: str, demo: dict[str, Any]) -> dict[str, str]:
    """The hotline client reads its first work order resolved with the township's result; the third is linked to it as
    a repeat petition; the request for help became an intake lead for the township through the broker; and the result
    waits in the delivery log, since no callback is registered. Returns each work order's complaint id."""
    as_hotline = _partner_headers(base, demo, "hotline")
    township = next(s for s in demo["staff"] if s["username"] == "township.officer")
    as_township = {"Authorization": f"Bearer {_token(base, township['password'], 'township.officer')}"}
    orders = {}
    for number in ("HL20261120000101", "HL20261120000102", "HL20261123000103"):
        reply = httpx.get(f"{base}/api/v1/hotline/work-orders/{number}", headers=as_hotline)
        assert reply.status_code == 200, reply.text
        orders[number] = reply.json()
    first, help_request, repeat = orders.values()
    assert first["status"] == "resolved"
    assert first["result"]["finding"] == "unsubstantiated"
    assert first["result"]["reply"].endswith("反映其有稳定工作仍领取低保的情况不属实。")
    assert first["result"]["handler_unit"] == "乡镇（街道）民政办 140402001"
    assert [h["status"] for h in first["history"]] == ["received", "assigned", "investigating", "resolved"]
    # The platform's due_at; without one, 5 working days after Friday 20 November, ending at midnight China time.
    assert datetime.fromisoformat(first["due_at"]) == datetime.fromisoformat("2026-11-27T18:00:00+08:00")
    assert help_request["status"] == "assigned"
    assert datetime.fromisoformat(help_request["due_at"]) == datetime.fromisoformat("2026-11-27T23:59:59.999999+08:00")
    assert repeat["repeat_of_work_order_no"] == "HL20261120000101"
    detail = httpx.get(f"{base}/api/v1/complaints/{repeat['complaint_id']}", headers=as_township)
    assert detail.status_code == 200, detail.text
    assert detail.json()["repeat_of"] == first["complaint_id"]
    assert detail.json()["petition_id"] == first["complaint_id"]
    assert [(p["work_order_no"], p["repeat_reason"]) for p in detail.json()["petition"]] == [
        ("HL20261120000101", None),
        ("HL20261123000103", "caller"),
    ]
    ledger = httpx.get(f"{base}/api/v1/complaints", params={"region_code": "140402001"}, headers=as_township)
    assert ledger.status_code == 200, ledger.text
    listed = {item["work_order_no"] for item in ledger.json()["items"]}
    assert listed >= {"HL20261120000101", "HL20261120000102", "HL20261123000103"}
    resolved = httpx.get(f"{base}/api/v1/complaints/{first['complaint_id']}", headers=as_township).json()
    assert resolved["feedback"]["method"] == "hotline_reply"
    assert [n["visited_on"] for n in resolved["notes"]] == ["2026-11-23"]
    deadline = time.monotonic() + 90
    while True:
        leads = httpx.get(f"{base}/api/v1/intake/leads", params={"source": "hotline"}, headers=as_township).json()[
            "items"
        ]
        deliveries = httpx.get(
            f"{base}/api/v1/hotline/deliveries", params={"work_order_no": "HL20261120000101"}, headers=as_hotline
        ).json()["items"]
        if leads and deliveries and deliveries[0]["attempts"] >= 1:
            break
        assert time.monotonic() < deadline, (leads, deliveries)
        time.sleep(0.5)
    assert [(lead["source_ref"], lead["kind"], lead["name"]) for lead in leads] == [
        (help_request["complaint_id"], "help_request", "郭*芬")
    ]
    # Nowhere to push to: the result is kept and retried, never dropped.
    [delivery] = deliveries
    assert (delivery["status"], delivery["state"], delivery["last_error"]) == (
        "resolved",
        "pending",
        "no_callback_configured",
    )
    return {number: order["complaint_id"] for number, order in orders.items()}


@pytest.mark.slow
def _assert_demo_console(base: str, demo: dict[str, Any]) -> None:
    """The demo county's county officer signs in to the console with the printed credentials and sees 我的待办."""
    officer = next(s for s in demo["staff"] if s["username"] == "county.officer")
    with httpx.Client(base_url=base, timeout=30) as browser:
        assert browser.get("/").headers["location"] == "/console/"
        form = browser.get("/console/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token is not None
        fields = {"username": officer["username"], "password": officer["password"], "csrf_token": token.group(1)}
        signed_in = browser.post("/console/login", data=fields)
        assert signed_in.status_code == 303, signed_in.text
        home = browser.get("/console/")
        assert home.status_code == 200
        assert "<h1>我的待办</h1>" in home.text


def test_make_run_starts_everything_stops_cleanly_and_keeps_its_data(tmp_path: Path) -> None:
    data_dir, log, port = tmp_path / "data", tmp_path / "run.log", free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start(data_dir, port, log)
    try:
        _wait_for_banner(proc, log, runs=1)
        password = (data_dir / "admin-password").read_text().strip()
        assert f"password {password}" in log.read_text()
        assert f"Gateway:   {base}" in log.read_text()
        assert f"Console:   {base}/console/" in log.read_text()
        assert httpx.get(f"{base}/readyz").status_code == 200
        headers = {"Authorization": f"Bearer {_token(base, password)}"}
        sent = httpx.post(
            f"{base}/api/v1/intake/diagnostics/probes", json={"count": 3, "probe_id": "makerun"}, headers=headers
        )
        assert sent.status_code == 202, sent.text
        deadline = time.monotonic() + 60
        while httpx.get(f"{base}/api/v1/casework/diagnostics/probes/makerun", headers=headers).json()["received"] < 3:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        demo = json.loads((data_dir / "demo-credentials.json").read_text())
        assert {s["username"] for s in demo["staff"]} >= {"county.officer", "township.officer"}
        assert {scope for p in demo["partners"] for scope in p["scopes"]} == {
            "hotline",
            "finance",
            "province",
            "registry_feed",
        }
        _assert_demo_intake(base, demo)
        _assert_demo_casework(base, demo)
        _assert_demo_matching(base, demo)
        _assert_demo_disbursement(base, demo)
        complaints = _assert_demo_complaints(base, demo)
        _assert_demo_console(base, demo)
    finally:
        children = _stop(proc)
    # Ctrl-C stopped every process it had started: services, gateway, PostgreSQL, the broker.
    assert children
    _, alive = psutil.wait_procs(children, timeout=30)
    assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []

    # The next run keeps the data: same admin password, the probe receipts and the demo county are still there.
    proc = _start(data_dir, port, log)
    try:
        _wait_for_banner(proc, log, runs=2)
        headers = {"Authorization": f"Bearer {_token(base, password)}"}
        receipts = httpx.get(f"{base}/api/v1/casework/diagnostics/probes/makerun", headers=headers).json()
        assert receipts == {"probe_id": "makerun", "received": 3, "distinct": 3}
        # The demo county was loaded once: the same applications, referrals and households, none added.
        _assert_demo_intake(base, demo)
        _assert_demo_casework(base, demo)
        _assert_demo_matching(base, demo)
        _assert_demo_disbursement(base, demo)
        assert _assert_demo_complaints(base, demo) == complaints
    finally:
        _stop(proc)
    # The demo county's people went through every service: no identity number or phone in any of its logs.
    logs = sorted((data_dir / "logs").glob("*.log"))
    assert {path.stem for path in logs} >= {"gateway", "intake", "casework", "matching", "complaints", "disbursement"}
    leaks = scan(logs, set())
    assert not leaks, "personal data in the logs:\n" + "\n".join(map(str, leaks[:20]))
