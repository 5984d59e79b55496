"""The 12345 hotline contract (CONTRACTS.md §2): shapes fixed, fields may be added, never renamed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from libs.contracts.dates import Instant
from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Tolerant
from libs.contracts.region import RegionCodeStr
from libs.contracts.text import NAME_MAX_LENGTH, clean_line
from services.complaints.register.rules import Category, Satisfaction, Status
from services.complaints.register.schemas import Address, AsText, Content, Phone, Title

WorkOrderNo = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]
# What a spreadsheet would evaluate (OWASP CSV injection); no name begins with it.
_FORMULA_START = ("=", "+", "-", "@")


def _blank_as_none(value: object) -> object:
    # A name of invisible characters only is no name: absent, which an anonymous caller may be and a real-name one not.
    return (clean_line(value) or None) if isinstance(value, str) else value


def _platform_name(value: str | None) -> str | None:
    """A name as the platform's operator typed it, cleaned. Staff names must look like names (PersonName); the
    platform's are taken as written, brackets, digits and titles included ("王女士（代）"), because refusing one would
    refuse the citizen's whole work order, which the platform cannot resubmit by hand. Only what no name begins with,
    a formula, is refused."""
    if value is None:
        return None
    if len(value) > NAME_MAX_LENGTH:
        raise ValueError(f"a name has at most {NAME_MAX_LENGTH} characters")
    if value.startswith(_FORMULA_START):
        raise ValueError("a name does not begin with = + - or @")
    return value


PlatformName = Annotated[str | None, BeforeValidator(_blank_as_none), AfterValidator(_platform_name)]


class CallerIn(Tolerant):
    name: PlatformName = None
    phone: Phone | None = None
    id_number: IdNumberStr | None = None
    anonymous: bool = False
    address: Address | None = None

    @model_validator(mode="after")
    def _real_name_has_a_name(self) -> CallerIn:
        if not self.anonymous and self.name is None:
            raise ValueError("a caller who is not anonymous has a name")
        return self


class SubjectIn(Tolerant):
    name: PlatformName = None
    id_number: IdNumberStr | None = None
    address: Address | None = None

    @model_validator(mode="after")
    def _named(self) -> SubjectIn:
        if self.name is None and self.id_number is None:
            raise ValueError("a subject has a name or an identity number")
        return self


class WorkOrderIn(Tolerant):
    work_order_no: WorkOrderNo
    received_at: Instant
    channel: Literal["phone", "web", "wechat", "app", "letter", "visit"]
    category: Category
    title: Title
    content: Content
    region_code: RegionCodeStr
    caller: CallerIn
    subject: SubjectIn | None = None
    due_at: Instant | None = None
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


class SatisfactionIn(Tolerant):
    """The platform's follow-up with the caller (回访), recorded against the work order (DOMAIN.md §6)."""

    satisfaction: Satisfaction
    note: Annotated[str, StringConstraints(max_length=2000), AsText] = ""
    surveyed_at: Instant | None = None
