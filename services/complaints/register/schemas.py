"""The staff API's shapes for the complaint ledger (DOMAIN.md §6)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AliasChoices, BaseModel, BeforeValidator, Field, StringConstraints, model_validator

from libs.contracts.dates import Instant, PastDate
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Input
from libs.contracts.region import RegionCodeStr
from libs.contracts.text import PersonName, clean_line, clean_text
from services.complaints.register.rules import (
    Category,
    Channel,
    FeedbackMethod,
    Finding,
    Issue,
    Satisfaction,
    Source,
    Status,
    SubjectKind,
)


def _line(value: object) -> object:
    return clean_line(value) if isinstance(value, str) else value


def _text(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value


# Text is cleaned before its bounds are checked (libs.contracts.text): control, bidirectional-override and zero-width
# characters removed, so a blank made of invisible characters is empty and a limit counts what is kept. A before
# validator, written after the constraints, runs first and leaves them on the string itself, so that their messages
# read as for any string ("at least 1 character").
AsLine, AsText = BeforeValidator(_line), BeforeValidator(_text)
TITLE_MAX, CONTENT_MAX, REASON_MAX, ADDRESS_MAX = 200, 10_000, 4000, 300
Name = PersonName
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9-]{5,20}$")]
Address = Annotated[str, StringConstraints(max_length=ADDRESS_MAX), AsLine]
Title = Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX), AsLine]
Content = Annotated[str, StringConstraints(min_length=1, max_length=CONTENT_MAX), AsText]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=REASON_MAX), AsText]
ShortNote = Annotated[str, StringConstraints(max_length=500), AsLine]
HouseholdId = Annotated[str, StringConstraints(min_length=1, max_length=128), AsLine]


class CallerIn(Input):
    """Who complains. An anonymous item is verified like any other but gets no feedback (DOMAIN.md §6)."""

    anonymous: bool = False
    name: Name | None = None
    phone: Phone | None = None
    id_number: IdNumberStr | None = None
    address: Address | None = None

    @model_validator(mode="after")
    def _real_name_has_a_name(self) -> CallerIn:
        if not self.anonymous and self.name is None:
            raise ValueError("a real-name complainant has a name (or mark the item anonymous)")
        return self


class SubjectIn(Input):
    """Whom the item is about; a household or person is found by `household_id` or an identity number."""

    kind: SubjectKind
    name: Name | None = None
    id_number: IdNumberStr | None = None
    household_id: HouseholdId | None = None
    address: Address | None = None

    @model_validator(mode="after")
    def _named(self) -> SubjectIn:
        if self.name is None and self.id_number is None and self.household_id is None:
            raise ValueError("a subject has a name, an identity number or a household_id")
        if self.kind is SubjectKind.STAFF and self.household_id is not None:
            raise ValueError("a staff member has no household_id")
        return self


class ComplaintIn(Input):
    """An item from a letter, a visit, a call to the bureau or its online form, entered by staff."""

    channel: Annotated[Channel, Field(description="letter | visit | phone | online")]
    category: Category
    issue: Issue | None = None
    title: Title
    content: Content
    region_code: RegionCodeStr
    caller: CallerIn
    subject: SubjectIn | None = None
    received_at: Instant | None = Field(default=None, description="When it arrived; default now")

    @model_validator(mode="after")
    def _staff_channel(self) -> ComplaintIn:
        if self.channel not in STAFF_CHANNELS:
            raise ValueError("staff enter letters, visits, phone calls and online messages; 12345 posts its own")
        return self


STAFF_CHANNELS = frozenset({Channel.LETTER, Channel.VISIT, Channel.PHONE, Channel.ONLINE})


class ClassificationIn(Input):
    """What the handler learnt the item is about; either part may be given."""

    issue: Issue | None = None
    subject: SubjectIn | None = None


class AssignIn(Input):
    unit: Annotated[str, StringConstraints(pattern=r"^([0-9]{6}|[0-9]{9})$")] = Field(
        description="The township (9 digits) or the county (6 digits) that handles the item"
    )
    note: ShortNote = ""


class NoteIn(Input):
    text: Reason
    visited_on: PastDate | None = Field(default=None, description="The day of the home visit or check, if any")


class FeedbackIn(Input):
    """The written result given to a real-name complainant (seed 000 §5(二): 及时向举报人反馈核查处理结果)."""

    text: Reason
    method: FeedbackMethod
    given_at: Instant | None = Field(default=None, description="Default now")


class ResolveIn(Input):
    finding: Finding
    reply: Reason
    issue: Issue | None = None
    feedback: FeedbackIn | None = None


class ReturnIn(Input):
    reason: Reason
    # A real-name item needs written feedback to close, returned or not: here, or given before (DOMAIN.md §6).
    feedback: FeedbackIn | None = None


class RevealIn(Input):
    reason: Reason


class HistoryOut(BaseModel):
    status: Status
    at: dt.datetime
    note: str


class NoteOut(BaseModel):
    at: dt.datetime
    visited_on: dt.date | None
    text: str
    by: str
    by_name: str


class CallerOut(BaseModel):
    anonymous: bool
    name: str | None
    phone: str | None = Field(description="Masked; a handler may reveal it, which is recorded")
    id_number: str | None = Field(description="Masked")
    address: str | None


class SubjectOut(BaseModel):
    kind: SubjectKind
    name: str | None
    id_number: str | None = Field(description="Masked")
    household_id: str | None
    address: str | None


class FeedbackOut(BaseModel):
    text: str
    method: FeedbackMethod
    given_at: dt.datetime
    by: str


class RepeatOut(BaseModel):
    # The presenter reads the row's `id` (`model_validate(row, from_attributes=True)`).
    complaint_id: str = Field(validation_alias=AliasChoices("complaint_id", "id"))
    work_order_no: str | None
    received_at: dt.datetime
    status: Status
    repeat_reason: str | None


class ComplaintSummary(BaseModel):
    complaint_id: str
    work_order_no: str | None
    source: Source
    channel: Channel
    category: Category
    issue: Issue | None
    title: str
    region_code: str
    assigned_unit: str
    anonymous: bool
    caller_name: str | None = Field(description="Masked")
    subject_name: str | None = Field(description="Masked")
    status: Status
    received_at: dt.datetime
    due_at: dt.datetime
    due_provisional: bool
    overdue: bool
    late: bool = Field(description="Answered, or still open, after the deadline")
    repeat_of: str | None
    petition_id: str


class ComplaintOut(ComplaintSummary):
    content: str
    caller: CallerOut | None = Field(description="Absent for an anonymous item: the informant stays unknown")
    subject: SubjectOut | None
    due_source: str
    finding: Finding | None
    reply: str | None
    handled_at: dt.datetime | None
    handler_unit: str | None
    feedback: FeedbackOut | None
    feedback_required: bool = Field(description="Real-name: closing needs written feedback to the complainant")
    supervision_referred: bool
    satisfaction: Satisfaction | None
    satisfaction_note: str | None
    history: list[HistoryOut]
    notes: list[NoteOut]
    petition: list[RepeatOut] = Field(description="Every item of the same repeat petition, oldest first")


class ContactOut(BaseModel):
    name: str | None
    phone: str | None
    id_number: str | None


# A register item as its hotline platform reads it (CONTRACTS.md §2): the answer to GET and the body of the result push.
class ResultOut(BaseModel):
    finding: Finding
    reply: str
    handled_at: dt.datetime
    handler_unit: str


class HistoryItem(BaseModel):
    status: Status
    at: dt.datetime
    note: str


class WorkOrderOut(BaseModel):
    work_order_no: str
    complaint_id: str
    status: Status
    result: ResultOut | None
    history: list[HistoryItem]
    due_at: dt.datetime
    repeat_of_work_order_no: str | None = Field(default=None, description="The earlier work order this one repeats")
