"""The calendar admin API's bodies."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from libs.contracts.dates import CivilDate


class YearScheduleIn(BaseModel):
    holidays: list[CivilDate] = Field(max_length=60, description="Official days off of the year")
    makeup_workdays: list[CivilDate] = Field(max_length=20, description="Weekend days on which offices work (调休)")
    source: str = Field(min_length=1, max_length=500, description="The notice, e.g. 国办发明电〔2026〕x号")


class YearScheduleOut(BaseModel):
    year: int
    holidays: list[date]
    makeup_workdays: list[date]
    source: str
    loaded: bool = Field(description="False: the shipped schedule, or statutory days only (provisional)")
    provisional: bool
