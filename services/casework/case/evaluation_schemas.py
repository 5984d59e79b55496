"""The democratic evaluation (民主评议 / 村社区评议, seed 004 三(一), issue 21) on the staff API (no ORM imports)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, Field, StringConstraints

from libs.contracts.dates import PastDate
from libs.contracts.models import Input
from libs.contracts.text import CleanLine, CleanText, PersonName

# A village's representatives' meeting: a handful to a few hundred people; a count beyond is a typo.
MAX_PARTICIPANTS = 500
# The panel named on the record (评议小组): the people who spoke for the village, not every villager present.
MAX_PANEL = 50


class EvaluationResult(StrEnum):
    AGREE = "agree"  # every vote cast agrees
    DISAGREE = "disagree"  # every vote cast disagrees
    MIXED = "mixed"  # votes both ways


Count = Annotated[int, Field(ge=0, le=MAX_PARTICIPANTS)]


class PanelMember(Input):
    name: PersonName
    # 村民代表, 村(居)委会成员, 驻村干部 ...
    role: Annotated[CleanLine, StringConstraints(max_length=40)] = ""


class EvaluationIn(Input):
    """The evaluation as the township records it: when and where, who sat, how they voted, what the dissent said."""

    held_on: PastDate
    place: Annotated[CleanLine, StringConstraints(min_length=1, max_length=200)]
    participants: Annotated[int, Field(ge=1, le=MAX_PARTICIPANTS)]
    panel: Annotated[tuple[PanelMember, ...], Field(min_length=1, max_length=MAX_PANEL)]
    result: EvaluationResult
    agree: Count
    disagree: Count
    abstain: Count = 0
    # What those against said (required when anyone voted against); may name members, so it is sealed.
    dissent: Annotated[CleanText, StringConstraints(max_length=2000)] = ""


class EvaluationOut(BaseModel):
    investigation_round: int
    held_on: dt.date
    place: str
    participants: int
    panel: list[PanelMember]
    result: EvaluationResult
    agree: int
    disagree: int
    abstain: int
    dissent: str
    recorded_by: str
    recorded_at: AwareDatetime
