"""The ledger's rules (DOMAIN.md §6, seed 000 §5(二), seed 001 §3(九)): pure, no I/O."""

from __future__ import annotations

from enum import StrEnum

from libs.contracts.region import RegionCode


class Source(StrEnum):
    HOTLINE = "hotline"  # a 12345 work order (CONTRACTS.md §2)
    STAFF = "staff"  # entered by staff from a letter, visit, call or online message


class Channel(StrEnum):
    # The hotline's channels (CONTRACTS.md §2) and the bureau's own online form.
    PHONE = "phone"
    WEB = "web"
    WECHAT = "wechat"
    APP = "app"
    LETTER = "letter"
    VISIT = "visit"
    ONLINE = "online"


class Category(StrEnum):
    COMPLAINT = "complaint"
    REPORT = "report"  # 举报
    HELP = "help"  # 求助: becomes an active-discovery lead (DOMAIN.md §8)
    CONSULTATION = "consultation"  # 咨询
    SUGGESTION = "suggestion"


class Issue(StrEnum):
    """What the item is about, as staff classify it (DOMAIN.md §6)."""

    WRONGFUL_INCLUSION = "wrongful_inclusion"  # 错保
    FAVOURITISM = "favouritism"  # 人情保, 关系保
    DECEASED_RECIPIENT = "deceased_recipient"  # 死人保
    WRONGFUL_EXCLUSION = "wrongful_exclusion"  # 漏保
    STAFF_MISCONDUCT = "staff_misconduct"
    HELP_REQUEST = "help_request"
    POLICY_QUESTION = "policy_question"
    OTHER = "other"


class SubjectKind(StrEnum):
    HOUSEHOLD = "household"
    PERSON = "person"
    STAFF = "staff"


class Status(StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    INVESTIGATING = "investigating"
    RESOLVED = "resolved"
    RETURNED = "returned"


class Finding(StrEnum):
    SUBSTANTIATED = "substantiated"
    UNSUBSTANTIATED = "unsubstantiated"
    PARTLY_SUBSTANTIATED = "partly_substantiated"
    NOT_APPLICABLE = "not_applicable"  # a question answered, a suggestion noted, an item returned


class FeedbackMethod(StrEnum):
    """How the written result reached a real-name complainant (seed 001 §3(九): 及时向举报人反馈)."""

    LETTER = "letter"
    SMS = "sms"
    IN_PERSON = "in_person"  # handed over, receipt signed
    HOTLINE_REPLY = "hotline_reply"  # the reply the 12345 platform relays to the caller


class Satisfaction(StrEnum):
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"


OPEN = frozenset({Status.RECEIVED, Status.ASSIGNED, Status.INVESTIGATING})
CLOSED = frozenset({Status.RESOLVED, Status.RETURNED})
# Findings that say something happened: a household concerned gets a review (DOMAIN.md §4, §6).
UPHELD = frozenset({Finding.SUBSTANTIATED, Finding.PARTLY_SUBSTANTIATED})
# A finding about facts needs facts: at least one investigation note before it.
NEEDS_INVESTIGATION = UPHELD | {Finding.UNSUBSTANTIATED}
# Complaints and reports are verified one by one (seed 000 §5(二)): they end in a finding about facts, or are returned
# as not ours; "not applicable" answers only questions, suggestions and requests for help.
FACTUAL = frozenset({Category.COMPLAINT, Category.REPORT})


def assigned_unit(region_code: str) -> str:
    """Where an item goes first: the township of its place, or the county if it names no township (DOMAIN.md §1:
    townships handle complaints in their area)."""
    region = RegionCode.parse_record(region_code)
    township = region.township
    return township.value if township is not None else region.value


def county_of(region_code: str) -> str:
    """The county a place lies in (its first 6 digits): repeats are linked within it (DOMAIN.md §1, §6)."""
    return region_code[:6]


def unit_name(unit: str) -> str:
    """The handling unit as the platform shows it to the caller."""
    return f"乡镇（街道）民政办 {unit}" if len(unit) >= 9 else f"县级民政局 {unit}"
