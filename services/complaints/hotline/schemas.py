"""The 12345 hotline contract (CONTRACTS.md §2): shapes fixed, fields may be added, never renamed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from libs.contracts.id_number import IdNumberStr
from libs.contracts.region import RegionCodeStr
from services.complaints.ledger.rules import Category, Finding, Satisfaction, Status
from services.complaints.ledger.schemas import Address, Content, Name, Phone, Title

WorkOrderNo = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]

# A platform's instants lie within these years: near datetime's own limits (year 1 or 9999) the repeat window and the
# working-day deadline fell outside what datetime can hold, and the work order was a 500 (OverflowError).
EARLIEST_YEAR, LATEST_YEAR = 1990, 2999


def _plausible(value: dt.datetime) -> dt.datetime:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:  # its own year: converting one near the limits overflows
        raise ValueError(f"an instant between the years {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value


PlatformInstant = Annotated[AwareDatetime, AfterValidator(_plausible)]


class CallerIn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: Name | None = None
    phone: Phone | None = None
    id_number: IdNumberStr | None = None
    anonymous: bool = False
    address: Address | None = None

    @model_validator(mode="after")
    def _real_name_has_a_name(self) -> CallerIn:
        if not self.anonymous and self.name is None:
            raise ValueError("a caller who is not anonymous has a name")
        return self


class SubjectIn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: Name | None = None
    id_number: IdNumberStr | None = None
    address: Address | None = None

    @model_validator(mode="after")
    def _named(self) -> SubjectIn:
        if self.name is None and self.id_number is None:
            raise ValueError("a subject has a name or an identity number")
        return self


class WorkOrderIn(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    work_order_no: WorkOrderNo
    received_at: PlatformInstant
    channel: Literal["phone", "web", "wechat", "app", "letter", "visit"]
    category: Category
    title: Title
    content: Content
    region_code: RegionCodeStr
    caller: CallerIn
    subject: SubjectIn | None = None
    due_at: PlatformInstant | None = None
    raw: dict[str, Any] = Field(default_factory=dict, description="The platform's original payload, kept as sent")

    @field_validator("due_at")
    @classmethod
    def _due_after_receipt(cls, due_at: dt.datetime | None, info: ValidationInfo) -> dt.datetime | None:
        # A field validator, so the error's loc names due_at; received_at is declared first, so it is in info.data.
        received = info.data.get("received_at")
        # CONTRACTS.md §2 refuses a deadline *before* receipt; one equal to it is odd but the platform's to set.
        if due_at is not None and received is not None and due_at < received:
            raise ValueError("due_at must not be before received_at")
        return due_at


class WorkOrderReceived(BaseModel):
    complaint_id: str
    work_order_no: str
    status: Status


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


class SatisfactionIn(BaseModel):
    """The platform's follow-up with the caller (回访), recorded against the work order (DOMAIN.md §6)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    satisfaction: Satisfaction
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""
    surveyed_at: PlatformInstant | None = None


class AttemptOut(BaseModel):
    at: dt.datetime
    http_status: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    delivery_id: str
    work_order_no: str
    complaint_id: str
    status: Status = Field(description="The work order status the pushed body reports")
    state: str = Field(description="pending | delivered")
    created_at: dt.datetime
    attempts: int
    next_attempt_at: dt.datetime | None
    last_error: str | None
    delivered_at: dt.datetime | None
    attempt_log: list[AttemptOut]
