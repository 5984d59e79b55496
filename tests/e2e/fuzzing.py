"""What the schemathesis runs through the gateway share (tests/e2e/test_fuzz_partners.py, test_fuzz_staff.py): the
knobs, the problem-details check, and one operation's cases sent and checked.

Examples are bounded and derandomised, so a run is reproducible and short; `JIUZHU_FUZZ_EXAMPLES=200
JIUZHU_FUZZ_SEED=7` makes a deeper, random local run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

import hypothesis
import requests
import schemathesis
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import CheckContext, CheckFunction
from schemathesis.generation.case import Case as GenericCase
from schemathesis.specs.openapi.checks import negative_data_rejection

Case = GenericCase[Any]
# Changes a generated case before it is sent (steering it to things that exist, or away from harm).
Steer = Callable[[Case, st.DataObject], None]

SEED = os.environ.get("JIUZHU_FUZZ_SEED")  # unset: derandomised, the same examples every run

# Unknown query parameters are ignored, as by any HTTP API, so they are not "invalid"; every request carries the
# caller's real token (its absence is tested on its own).
CONFIG = schemathesis.Config.from_dict(
    {"generation": {"allow-extra-parameters": False, "with-security-parameters": False}}
)


def examples(default: int) -> int:
    """How many examples per operation and mode: `default`, unless `JIUZHU_FUZZ_EXAMPLES` says otherwise."""
    return int(os.environ.get("JIUZHU_FUZZ_EXAMPLES", str(default)))


def problem_details(ctx: CheckContext, response: schemathesis.Response, case: Case) -> bool | None:
    """Every 4xx and 5xx is `application/problem+json` with its own status and a stable `code` (CONTRACTS.md)."""
    if response.status_code < 400:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/problem+json"), f"{response.status_code} as {content_type!r}"
    body = response.json()
    assert isinstance(body, dict), f"{response.status_code}: the problem is not an object"
    assert body.get("status") == response.status_code, f"{response.status_code}: the problem says {body.get('status')}"
    assert body.get("code"), f"{response.status_code}: the problem has no code"
    return True


def fuzz_operation(
    operation: Any,
    base_url: str,
    mode: GenerationMode,
    *,
    headers: Mapping[str, str],
    checks: list[CheckFunction],
    max_examples: int,
    session: requests.Session | None = None,
    steer: Steer | None = None,
) -> list[int]:
    """Blocking: schemathesis' cases for one operation, sent and checked (invalid ones must also be refused); the
    statuses seen (none: the operation has nothing that can be made invalid). `steer` changes every case before it
    is sent."""
    own_session = session is None
    http = session or requests.Session()
    http.trust_env = False  # straight to the gateway on this machine, never through a proxy from the environment
    sent_headers = dict(headers)
    all_checks = [*checks, negative_data_rejection] if mode is GenerationMode.NEGATIVE else checks
    statuses: list[int] = []

    @hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=SEED is None,
        database=None,  # no .hypothesis/ directory in the work tree
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def run(case: Case, data: st.DataObject) -> None:
        if steer is not None:
            steer(case, data)
        response = case.call(base_url=base_url, session=http, headers=sent_headers, timeout=60)
        statuses.append(response.status_code)
        case.validate_response(response, checks=all_checks, headers=sent_headers)

    if SEED is not None:
        run = hypothesis.seed(int(SEED))(run)
    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        if mode is not GenerationMode.NEGATIVE or statuses:
            raise
    finally:
        if own_session:
            http.close()
    return statuses
