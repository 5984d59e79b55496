"""Village reports in tests: recipient households of a village, the stored rows, a filed report."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select

from libs.contracts.staff import StaffRole
from libs.kernel.auth import Principal
from libs.kernel.outbox import Outbox
from libs.kernel.service import Runtime
from services.casework.case.models import Case
from services.casework.case.schemas import Trigger
from services.casework.context import Casework
from services.casework.db import tables
from services.casework.definition import DEFINITION as CASEWORK
from services.casework.registry.models import Household
from services.casework.reports.models import VillageReport, VillageReportEntry
from tests.casework.support import CaseworkApi, staff

REPORTS = "/api/v1/casework/village-reports"
PERIOD = "2026-11"


async def households(api: CaseworkApi, village: str, n: int, *, status: str = "active") -> list[str]:
    """`n` recipient households of `village`, ordered by id as the API names them."""
    now = datetime.now(UTC)
    ids = sorted(f"hh-{uuid.uuid4()}" for _ in range(n))
    async with api.db.sessions.begin() as s:
        for household_id in ids:
            s.add(
                Household(
                    id=household_id,
                    region_code=village,
                    status=status,
                    review_class="B",
                    close_relative=False,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
    return ids


async def stored(api: CaseworkApi, village: str) -> tuple[int, int, int]:
    """(reports, entries, village-report cases) stored for `village`."""
    async with api.db.sessions() as s:
        report_ids = (await s.scalars(select(VillageReport.id).where(VillageReport.village_code == village))).all()
        entries = await s.scalar(
            select(func.count()).select_from(VillageReportEntry).where(VillageReportEntry.report_id.in_(report_ids))
        )
        cases = await s.scalar(
            select(func.count())
            .select_from(Case)
            .where(Case.trigger == Trigger.VILLAGE_REPORT.value, Case.region_code == village)
        )
    return len(report_ids), int(entries or 0), int(cases or 0)


def case_ctx(api: CaseworkApi) -> Casework:
    """Casework's context on the test's clock, for calling the case service directly."""
    settings = CASEWORK.settings()
    runtime = Runtime(CASEWORK, settings, api.db, Outbox(tables.outbox, settings))
    return replace(Casework.of(runtime), clock=api.clock)


def assistant(village: str) -> Principal:
    return staff(StaffRole.village_assistant, village)


def entry(household_id: str, *changes: str, detail: str = "") -> dict[str, Any]:
    return {"household_id": household_id, "changes": list(changes), "detail": detail}


async def file(api: CaseworkApi, village: str, body: dict[str, Any], period: str = PERIOD) -> dict[str, Any]:
    answer = await api.put(f"{REPORTS}/{village}/{period}", assistant(village), body)
    assert answer.status_code == 201, answer.text
    report: dict[str, Any] = answer.json()
    return report
