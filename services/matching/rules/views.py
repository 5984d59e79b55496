"""How rules and schedules are shown: a rule as its validated definition with who changed it last; every source's
schedule, its default where no row holds one."""

from __future__ import annotations

from services.matching.rules.models import Rule
from services.matching.rules.schemas import RuleOut, ScheduleOut
from services.matching.schedules.models import SourceSchedule
from services.matching.sources import SOURCES, Frequency


def rule_out(rule: Rule) -> RuleOut:
    return RuleOut.model_validate(
        {**rule.spec().model_dump(), "updated_at": rule.updated_at, "updated_by": rule.updated_by}
    )


def schedule_out(source: str, schedule: SourceSchedule | None) -> ScheduleOut:
    return ScheduleOut(
        source=source,
        frequency=Frequency(schedule.frequency) if schedule else SOURCES[source].frequency,
        last_run_at=schedule.last_run_at if schedule else None,
        next_run_at=schedule.next_run_at if schedule else None,
    )


def schedules_out(held: dict[str, SourceSchedule]) -> list[ScheduleOut]:
    return [schedule_out(name, held.get(name)) for name in SOURCES]
