"""The schedules shipped with the code: 2024 to 2026 (DOMAIN.md §10).

`cn_2024_2026.json` was generated once from chinese-calendar 1.11.0 (weekday entries of `constants.holidays`,
all of `constants.workdays`) so that the running system does not depend on that package, which stops at 2026.
Later years are loaded through the admin API; tests/contracts cross-check this file against chinese-calendar
day by day.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from libs.contracts.calendar.schedule import YearSchedule

_DATA_FILE = "cn_2024_2026.json"


@cache
def seeded_schedules() -> tuple[YearSchedule, ...]:
    """The stored State Council schedules, oldest year first."""
    text = resources.files("libs.contracts.calendar").joinpath(_DATA_FILE).read_text(encoding="utf-8")
    document = json.loads(text)
    return tuple(YearSchedule.from_json_dict(entry) for entry in document["years"])
