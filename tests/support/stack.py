"""The test session's devstack: one embedded PostgreSQL and one broker, every schema migrated once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from libs.devstack.stack import DevStack, running
from libs.kernel.cli import migrate
from libs.kernel.service import ServiceDefinition
from services.casework.definition import DEFINITION as CASEWORK
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.disbursement.definition import DEFINITION as DISBURSEMENT
from services.intake.definition import DEFINITION as INTAKE
from services.matching.definition import DEFINITION as MATCHING

SERVICES: dict[str, ServiceDefinition] = {d.name: d for d in (INTAKE, CASEWORK, MATCHING, COMPLAINTS, DISBURSEMENT)}


def start_test_stack(tmp_root: Path) -> Iterator[DevStack]:
    with running(tmp_root / "stack", durable=False) as stack:
        # Service settings read these from the environment, as a deployed process would.
        os.environ.update(stack.environment())
        os.environ.setdefault("JIUZHU_ENVIRONMENT", "test")
        # The tests' own partner platforms listen on the loopback; tests of the refusal build their own policy.
        os.environ.setdefault("JIUZHU_OUTBOUND_ALLOW_PRIVATE", "true")
        for definition in SERVICES.values():
            migrate(definition, definition.settings())
        yield stack
