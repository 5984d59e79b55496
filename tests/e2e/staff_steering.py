"""Where the staff fuzzing points its requests (tests/e2e/test_fuzz_staff.py).

Valid requests are steered most of the time to the fuzzed county's regions, people and things, and to values its
rules accept (names, amounts, passwords, dates of this era), so they get past the jurisdiction and format checks into
the services' own handling; some stay as generated, to be refused. Invalid requests stay invalid.

Every request, valid or not, is kept from harming another test: a region code generated in the scenario province but
outside the county becomes the county (standards or a procedure rule for all of province 14 would change every other
scenario's county), a year's holiday schedule is loaded only for 2100, a probe sends at most two events (ten thousand
per request would flood every consumer), and a matching rule (the whole system's) is never named.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st
from schemathesis import GenerationMode

from tests.e2e.fuzz_county import FuzzCounty
from tests.e2e.fuzzing import Case

REGION_KEYS = frozenset(
    {"region_code", "region_prefix", "staff_region", "village_code", "township_code", "county_code", "unit"}
)
PERSON_KEYS = frozenset({"id_number", "applicant_id_number", "member_id_number", "holder_id_number"})
NAME_KEYS = frozenset({"name", "staff_name", "holder_name"})
PASSWORD_KEYS = frozenset({"password", "new_password"})
NAMES = ("赵秀英", "钱永福", "阿依古丽·买买提")
STRONG_PASSWORD = "Fz-7qLp!vR2x-Kw9"  # a test account's, meeting the policy
# Known, but not for the fuzzing: a sign-in name goes only into token requests, and a matching rule is the whole
# system's (only bodies that must be refused name it).
UNSTEERED = frozenset({"username", "rule_id"})
GRANTS = ("password", "client_credentials", "refresh_token")
# An ISO 8601 date or date-time: generated ones reach from year 1 to 9999, steered ones lie in 2024 (a leap year).
_ISO_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}-[0-9]{2}.*)")
# A region code in the province of every scenario county (tests/e2e/system.py).
_SCENARIO_PROVINCE = re.compile(r"14([0-9]{2}|[0-9]{4}|[0-9]{7}|[0-9]{10})?")


def _often(data: st.DataObject, label: str) -> bool:
    return data.draw(st.integers(0, 3), label=label) > 0


def _in_county(value: str, fuzz: FuzzCounty) -> str:
    if _SCENARIO_PROVINCE.fullmatch(value) and not value.startswith(fuzz.code):
        return fuzz.code
    return value


def _region(key: str, value: str, fuzz: FuzzCounty, data: st.DataObject | None) -> str:
    if data is not None and _often(data, key):
        village, township = fuzz.regions[2], fuzz.regions[1]
        choices = {"village_code": [village], "township_code": [township], "county_code": [fuzz.code],
                   "unit": [fuzz.code, township]}  # fmt: skip
        return data.draw(st.sampled_from(choices.get(key, fuzz.regions)), label=key)
    return _in_county(value, fuzz)


def _steered(key: str, value: Any, fuzz: FuzzCounty, data: st.DataObject | None) -> Any:
    """A field's value kept from harm, and (for valid requests: `data` given) most of the time one that exists in
    the county or that its rules accept."""
    if data is not None and key in fuzz.known and key not in UNSTEERED and _often(data, key):
        return fuzz.known[key]
    if not isinstance(value, str):
        return value
    if key in REGION_KEYS:
        return _region(key, value, fuzz, data)
    if data is None or not _often(data, key):
        return value
    if key in PERSON_KEYS:
        return data.draw(st.sampled_from(fuzz.people), label=key)
    if key in NAME_KEYS:
        return data.draw(st.sampled_from(NAMES), label=key)
    if key in PASSWORD_KEYS:
        return STRONG_PASSWORD
    if "amount" in key:
        return "300.00"
    date = _ISO_DATE.fullmatch(value)
    return f"2024{date.group(1)}" if date else value


def _tree(value: Any, fuzz: FuzzCounty, data: st.DataObject | None) -> Any:
    if isinstance(value, dict):
        return {k: _tree(_steered(k, v, fuzz, data), fuzz, data) for k, v in value.items()}
    if isinstance(value, list):
        return [_tree(item, fuzz, data) for item in value]
    return value


def steer(case: Case, fuzz: FuzzCounty, data: st.DataObject, mode: GenerationMode) -> None:
    """Valid requests towards the county; every request away from what other tests rely on."""
    valid = data if mode is GenerationMode.POSITIVE else None
    path, method = case.operation.path, case.method.upper()
    if isinstance(case.path_parameters, dict):
        case.path_parameters = _tree(case.path_parameters, fuzz, valid)
    if isinstance(case.query, dict):
        case.query = _tree(case.query, fuzz, valid)
    if isinstance(case.body, dict):
        case.body = _tree(case.body, fuzz, valid)
    year = (case.path_parameters or {}).get("year")
    if method == "PUT" and path.endswith("/calendar/{year}") and isinstance(year, int) and 2000 <= year <= 2100:
        case.path_parameters = {**(case.path_parameters or {}), "year": 2100}
    body = case.body
    if not isinstance(body, dict):
        return
    count = body.get("count")
    if path.endswith("/diagnostics/probes") and isinstance(count, int | float) and 1 <= count <= 10_000:
        case.body = {**body, "count": min(count, 2)}
    if path == "/api/v1/auth/token" and valid is not None and _often(valid, "grant"):
        grant = valid.draw(st.sampled_from(GRANTS), label="grant")
        known = fuzz.known
        case.body = {**body, "grant_type": grant, "username": known["username"], "client_id": known["client_id"]}
