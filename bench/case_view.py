"""A case's view: its five lists read as they were and as they are, on the same case, in one process.

Every step of a case (investigation, evaluation, proposal, objection, return, decision) answers with the case's view,
and so does the officer's reading of it; the view reads the case's history, investigations, verification reports,
attachments and evaluations (`services.casework.case.repository.case_file`). Before issue 23's change it built five
ORM statements per view and loaded ORM objects, attachments with their bytes; now the statements are built once and
read as Core rows, attachments without their bytes. Seeds one case in a throw-away stack's casework schema (the
history of a decided case, an investigation, a verification report, an evaluation and `--photos` photos of 2 MB),
then reads its file `--repeat` times each way, in alternating rounds, timing this process's CPU (the API's share of
a view) and the wall clock.

    python -m bench.case_view [--repeat 500] [--rounds 4] [--photos 2]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench.support import bench_stack, machine
from services.casework.case.models import (
    Case,
    CaseAttachment,
    CaseEvaluation,
    CaseHistory,
    CaseInvestigation,
    CaseVerification,
)
from services.casework.case.repository import case_file

CASE_ID = "case-bench-view"


async def before(session: AsyncSession, case_id: str) -> int:
    """The read as it was (the five ORM statements built per view); the rows it found."""
    found = 0
    for statement in (
        select(CaseHistory).where(CaseHistory.case_id == case_id).order_by(CaseHistory.id),
        select(CaseInvestigation).where(CaseInvestigation.case_id == case_id).order_by(CaseInvestigation.round),
        select(CaseVerification).where(CaseVerification.case_id == case_id),
        select(CaseAttachment).where(CaseAttachment.case_id == case_id).order_by(CaseAttachment.uploaded_at),
        select(CaseEvaluation).where(CaseEvaluation.case_id == case_id).order_by(CaseEvaluation.id),
    ):
        found += len((await session.scalars(statement)).all())
    return found


async def now(session: AsyncSession, case_id: str) -> int:
    file = await case_file(session, case_id)
    lists = (file.history, file.investigations, file.verifications, file.attachments, file.evaluations)
    return sum(len(rows) for rows in lists)


def _case(at: dt.datetime, photos: int) -> list[object]:
    steps = ["opened", "verification_completed", "investigation_recorded", "evaluation_recorded", "proposed"]
    return [
        Case(
            id=CASE_ID,
            kind="application",
            trigger="application",
            trigger_ref="app-bench",
            program="dibao",
            region_code="140402001001",
            status="township_review",
            applicant_name_masked="王*英",
            member_count=3,
            content_sealed="x" * 2000,
            opened_at=at,
            updated_at=at,
        ),
        *(
            CaseHistory(case_id=CASE_ID, at=at, actor="bench", action=a, status_from=None, status_to="open")
            for a in steps
        ),
        CaseInvestigation(
            case_id=CASE_ID,
            round=1,
            investigators=["李明", "张华"],
            visited_on=at.date(),
            by_county=False,
            content_sealed="x" * 3000,
            recorded_by="bench",
            recorded_at=at,
        ),
        CaseVerification(
            verification_id="ver-bench", case_id=CASE_ID, finding_count=1, findings_sealed="x" * 6000, completed_at=at
        ),
        CaseEvaluation(
            case_id=CASE_ID,
            investigation_round=1,
            held_on=at.date(),
            place="村委会",
            participants=15,
            panel_names=["刘福生"] * 5,
            panel_roles=["村民代表"] * 5,
            result="agreed",
            agree=15,
            disagree=0,
            abstain=0,
            dissent_sealed="x" * 200,
            recorded_by="bench",
            recorded_at=at,
        ),
        *(
            CaseAttachment(
                id=f"att-bench-{i}",
                case_id=CASE_ID,
                filename=f"入户照片{i}.jpg",
                content_type="image/jpeg",
                size=2_000_000,
                sha256="0" * 64,
                content=os.urandom(2_000_000),
                uploaded_by="bench",
                uploaded_at=at,
            )
            for i in range(photos)
        ),
    ]


async def _timed(
    sessions: async_sessionmaker[AsyncSession], read: Callable[[AsyncSession, str], Awaitable[int]], repeat: int
) -> tuple[float, float, int]:
    """CPU and wall milliseconds a view, and the rows one view found. A session a view, as a request has: one
    session's identity map would keep the ORM's objects from one view to the next."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(repeat):
        async with sessions() as session:
            found = await read(session, CASE_ID)
    return (time.process_time() - cpu) / repeat * 1e3, (time.perf_counter() - wall) / repeat * 1e3, found


async def measure(url: str, repeat: int, rounds: int, photos: int) -> None:
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions.begin() as session:
        session.add_all(_case(dt.datetime.now(dt.UTC), photos))
    figures: dict[str, list[tuple[float, float]]] = {"before": [], "now": []}
    found: dict[str, int] = {}
    for _ in range(rounds):
        for name, read in (("before", before), ("now", now)):
            cpu, wall, found[name] = await _timed(sessions, read, repeat)
            figures[name].append((cpu, wall))
    await engine.dispose()
    assert found["before"] == found["now"], found
    print(
        f"one case: {found['now']} rows in its five lists ({photos} photos of 2 MB); {rounds} rounds of {repeat} views"
    )
    for name, runs in figures.items():
        cpus, walls = [c for c, _ in runs], [w for _, w in runs]
        print(
            f"  {name:<7} CPU {statistics.median(cpus):6.3f} ms a view (rounds {', '.join(f'{c:.3f}' for c in cpus)}),"
            f" wall {statistics.median(walls):6.3f} ms"
        )
    ratio = statistics.median(c for c, _ in figures["now"]) / statistics.median(c for c, _ in figures["before"])
    print(f"  now / before (CPU): {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=500, help="views a round, each way")
    parser.add_argument("--rounds", type=int, default=4, help="rounds, the two ways alternating")
    parser.add_argument("--photos", type=int, default=2, help="photos of 2 MB attached to the case")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    with bench_stack("services.casework") as (stack, _env):
        asyncio.run(measure(stack.database_url, args.repeat, args.rounds, args.photos))


if __name__ == "__main__":
    main()
