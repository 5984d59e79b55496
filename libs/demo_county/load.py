"""The demo county loaded by `make run` (JIUZHU_DEMO=1): its staff and partner clients, through the public API.

Everything goes through the gateway as an operator would do it, so the demo also exercises the admin API. Credentials
are written once to `demo-credentials.json` in the data directory (partner secrets are shown only once by the API).
Intake's data (applications, referrals) is entered by the demo staff themselves (`demo_intake.py`). Casework's
(standards, a close-relative filing, recipient households) is entered by the county officer (`demo_casework.py`); the
registry partner sends its feeds (`demo_matching.py`); the county officer builds, locks and submits the month's payment
roster and the finance client lists it (`demo_disbursement.py`); last, the hotline client posts three work orders and
the township officer answers the first (`demo_complaints.py`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from libs.demo_county.casework import load_casework_demo
from libs.demo_county.complaints import load_complaints_demo
from libs.demo_county.disbursement import load_disbursement_demo
from libs.demo_county.http import demo_client
from libs.demo_county.intake import load_intake_demo
from libs.demo_county.matching import load_matching_demo
from libs.devstack.secrets import strong_password

COUNTY = "140402"  # a county-level district of Changzhi, Shanxi (seed 001's city)
TOWNSHIP = COUNTY + "001"
VILLAGE = TOWNSHIP + "001"

STAFF = [
    ("county.officer", "县民政局 王科长", ["county_officer"], COUNTY),
    ("township.officer", "城东街道 李干事", ["township_officer"], TOWNSHIP),
    ("village.assistant", "东关社区 赵协理员", ["village_assistant"], VILLAGE),
    ("city.supervisor", "市民政局 督查", ["city_supervisor"], COUNTY[:4]),
]
# The demo county's names, as its administrator would enter them (every page shows names, not codes).
REGIONS = [
    (COUNTY[:2], "山西省"),
    (COUNTY[:4], "长治市"),
    (COUNTY, "潞州区"),
    (TOWNSHIP, "城东街道"),
    (VILLAGE, "东关社区"),
    (TOWNSHIP[:6] + "002", "城西街道"),
    (TOWNSHIP + "002", "西关社区"),
]
PARTNERS = [
    ("12345 hotline platform", ["hotline"], COUNTY[:4]),
    ("county finance bureau", ["finance"], COUNTY),
    ("provincial low-income system", ["province"], COUNTY[:2]),
    ("registry data exchange", ["registry_feed"], COUNTY[:2]),
]


def load_demo_county(base_url: str, admin_password: str, data_dir: Path) -> None:
    target = data_dir / "demo-credentials.json"
    if target.exists():
        return
    with demo_client(base_url, timeout=30) as client:
        token = client.post(
            "/api/v1/auth/token", data={"grant_type": "password", "username": "admin", "password": admin_password}
        )
        token.raise_for_status()
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        for code, name in REGIONS:
            client.put(f"/api/v1/admin/regions/{code}", json={"name": name}).raise_for_status()
        credentials: dict[str, Any] = {"county": COUNTY, "staff": [], "partners": []}
        passwords: dict[str, str] = {}
        user_ids: dict[str, str] = {}
        for username, display, roles, region in STAFF:
            password = strong_password()
            reply = client.post(
                "/api/v1/admin/users",
                json={
                    "username": username,
                    "password": password,
                    "display_name": display,
                    "roles": roles,
                    "region_code": region,
                },
            )
            if reply.status_code == 201:
                passwords[username], user_ids[username] = password, reply.json()["user_id"]
                credentials["staff"].append(
                    {"username": username, "password": password, "roles": roles, "region_code": region}
                )
            elif reply.status_code != 409:
                reply.raise_for_status()
        for name, scopes, region in PARTNERS:
            reply = client.post("/api/v1/admin/clients", json={"name": name, "scopes": scopes, "region_code": region})
            reply.raise_for_status()
            body = reply.json()
            credentials["partners"].append(
                {
                    "name": name,
                    "scopes": scopes,
                    "region_code": region,
                    "client_id": body["client_id"],
                    "client_secret": body["client_secret"],
                }
            )
    # Written before the intake data is entered, so the passwords are kept even if that fails.
    target.write_text(json.dumps(credentials, ensure_ascii=False, indent=2))
    target.chmod(0o600)
    # Only with staff created just now: only then are their passwords known (and a repeat would file the same people).
    if {"village.assistant", "township.officer"} <= passwords.keys():
        load_intake_demo(base_url, VILLAGE, passwords, user_ids)
    if "county.officer" in passwords:
        load_casework_demo(base_url, COUNTY, VILLAGE, passwords)
        registry = next(p for p in credentials["partners"] if "registry_feed" in p["scopes"])
        load_matching_demo(base_url, COUNTY, passwords, registry)
        finance = next(p for p in credentials["partners"] if "finance" in p["scopes"])
        load_disbursement_demo(base_url, COUNTY, passwords, finance)
    if "township.officer" in passwords:
        hotline = next(p for p in credentials["partners"] if "hotline" in p["scopes"])
        load_complaints_demo(base_url, VILLAGE, passwords, hotline)
