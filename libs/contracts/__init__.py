"""The published language of Jiuzhu: value types and event payloads shared by all services (STYLE.md).

Pure code: no database, web framework or broker, so any service, test or partner tool can import it.
"""

from libs.contracts.calendar import DueDate, WorkCalendar, YearSchedule
from libs.contracts.id_number import IdNumber, InvalidIdNumber, Sex, mask_name
from libs.contracts.money import InvalidMoney, Money
from libs.contracts.period import InvalidPeriod, Period
from libs.contracts.programs import Program
from libs.contracts.region import InvalidRegionCode, RegionCode, RegionLevel, jurisdiction_contains

__all__ = [
    "DueDate",
    "IdNumber",
    "InvalidIdNumber",
    "InvalidMoney",
    "InvalidPeriod",
    "InvalidRegionCode",
    "Money",
    "Period",
    "Program",
    "RegionCode",
    "RegionLevel",
    "Sex",
    "WorkCalendar",
    "YearSchedule",
    "jurisdiction_contains",
    "mask_name",
]
