"""The registry sources a provider may feed (CONTRACTS.md §5), their columns, and how often each is matched (§5).

Data, not code: a new source is a new entry here (and its rules in the rules table); the loader, the records table
and the evidence shown to townships all follow from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    DATE = "date"  # YYYY-MM-DD
    TEXT = "text"  # free text, trimmed; statuses are also lower-cased
    CHOICE = "choice"  # one of `choices`, case-insensitive
    BOOL = "bool"  # true / false
    MONEY = "money"  # a decimal string with up to two places, stored in fen


class Frequency(StrEnum):
    # How often the latest feed of a source is matched again against the watch list as it is then, besides the run
    # on every new feed (DOMAIN.md §5: seeds 001 and 003).
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    ON_FEED = "on_feed"  # only when a new feed arrives

    @property
    def months(self) -> int | None:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6}.get(self.value)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: FieldKind
    required: bool = True
    choices: tuple[str, ...] = ()
    # Text is lower-cased (statuses), so rules compare one spelling.
    lower: bool = False
    # A date of something that has happened (a death, a registration, a flight): never after tomorrow. A prison
    # term's end may lie ahead.
    past: bool = True


@dataclass(frozen=True)
class SourceSpec:
    name: str
    label: str
    fields: tuple[FieldSpec, ...]
    frequency: Frequency
    # A record of a recipient or member means the person died (DOMAIN.md §5): death-detected, not a hit.
    reports_death: bool = False
    # Whether each feed is the source's whole register (vehicles, property: a new one replaces the last) rather
    # than the events since the last feed (deaths): only the latest snapshot counts, and older ones are dropped.
    snapshot: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def _status(*, required: bool = True) -> FieldSpec:
    return FieldSpec("status", FieldKind.TEXT, required=required, lower=True)


_DEATH = (FieldSpec("event_date", FieldKind.DATE),)
_SPELL = (FieldSpec("start_date", FieldKind.DATE), _status())

SOURCES: dict[str, SourceSpec] = {
    spec.name: spec
    for spec in (
        # Seed 003: deaths monthly for dibao and tekun (seed 001 says quarterly; the stricter wins).
        SourceSpec(
            "death", "卫健 死亡 health commission deaths", _DEATH, Frequency.MONTHLY, reports_death=True, snapshot=False
        ),
        SourceSpec(
            "police_deregistration",
            "公安 户籍注销 police household deregistration",
            _DEATH,
            Frequency.MONTHLY,
            reports_death=True,
            snapshot=False,
        ),
        SourceSpec("cremation", "民政 火化 cremation", _DEATH, Frequency.MONTHLY, reports_death=True, snapshot=False),
        SourceSpec(
            "prison",
            "司法 服刑 prison and detention",
            (
                FieldSpec("start_date", FieldKind.DATE),
                FieldSpec("end_date", FieldKind.DATE, required=False, past=False),
            ),
            Frequency.QUARTERLY,
        ),
        SourceSpec("public_payroll", "财政供养 public payroll", _SPELL, Frequency.HALF_YEARLY),
        SourceSpec("employee_medical_insurance", "职工医保 employee medical insurance", _SPELL, Frequency.HALF_YEARLY),
        SourceSpec("work_injury", "工伤保险 work-injury insurance", _SPELL, Frequency.HALF_YEARLY),
        SourceSpec("provident_fund", "住房公积金 housing provident fund", _SPELL, Frequency.ON_FEED),
        SourceSpec("retirement", "退休 retirement", _SPELL, Frequency.ON_FEED),
        SourceSpec("military", "退役军人/服役 military service", _SPELL, Frequency.ON_FEED),
        SourceSpec(
            "pension",
            "养老保险 pension insurance",
            (
                FieldSpec("status", FieldKind.CHOICE, choices=("normal", "terminated")),
                FieldSpec("monthly_amount", FieldKind.MONEY, required=False),
            ),
            Frequency.HALF_YEARLY,
        ),
        SourceSpec(
            "vehicle",
            "车辆 vehicles",
            (
                FieldSpec("plate", FieldKind.TEXT),
                FieldSpec("vehicle_type", FieldKind.CHOICE, choices=("car", "motorcycle", "truck", "other")),
                FieldSpec("registered_at", FieldKind.DATE),
                FieldSpec("deregistered", FieldKind.BOOL),
            ),
            Frequency.ON_FEED,
        ),
        SourceSpec(
            "property",
            "不动产 property",
            (
                FieldSpec("property_id", FieldKind.TEXT),
                FieldSpec("acquired_at", FieldKind.DATE),
                FieldSpec(
                    "acquisition",
                    FieldKind.CHOICE,
                    choices=("purchase", "resettlement", "inheritance", "self_built"),
                ),
                FieldSpec("kind", FieldKind.CHOICE, choices=("commercial", "rural_homestead", "other")),
            ),
            Frequency.ON_FEED,
        ),
        SourceSpec(
            "business",
            "市场监管 business registration",
            (FieldSpec("credit_code", FieldKind.TEXT), FieldSpec("registered_at", FieldKind.DATE), _status()),
            Frequency.ON_FEED,
        ),
        SourceSpec(
            "flight",
            "民航 air travel",
            (FieldSpec("flight_date", FieldKind.DATE), FieldSpec("route", FieldKind.TEXT)),
            Frequency.ON_FEED,
        ),
    )
}

# Every column a record of any source may carry, in the order of the records table (after the common ones).
RECORD_FIELDS: dict[str, FieldKind] = {}
for _spec in SOURCES.values():
    for _field in _spec.fields:
        RECORD_FIELDS.setdefault(_field.name, _field.kind)
