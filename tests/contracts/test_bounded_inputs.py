"""Every instant and date a service accepts is one of the bounded types of `libs.contracts.dates` (issue 17).

Instants in year 1 or 9999 were 500s (an OverflowError converting to China time, a database error storing them) in
provincial warnings, the province's `updated_since` and finance's `paid_at`. Fixing those three fields would leave
the next one to be found the same way, so this test walks every route of every service — path, query, header and
cookie parameters, their dependencies' parameters, and request bodies down through nested models, lists and unions —
and names each `datetime` or `date` input that is not an `Instant`, a `CivilDate` or a `PastDate`.

The behaviour behind the types (a 422 naming the field, nothing stored) is tested per service, with the findings:
tests/intake/test_bounded_input.py, tests/casework/test_bounded_input.py, tests/disbursement/test_bounded_input.py.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

import pydantic
import pytest
from fastapi import APIRouter, Body, Query
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import AfterValidator, BaseModel, TypeAdapter, ValidationError

from libs.contracts.dates import (
    CivilDate,
    Instant,
    PastDate,
    bounded_date,
    bounded_instant,
    entered_date,
    entered_instant,
    entered_past_date,
    past_date,
)
from libs.kernel.service import ServiceDefinition
from services.casework.definition import DEFINITION as CASEWORK
from services.complaints.definition import DEFINITION as COMPLAINTS
from services.disbursement.definition import DEFINITION as DISBURSEMENT
from services.intake.definition import DEFINITION as INTAKE
from services.matching.definition import DEFINITION as MATCHING

# The services whose every input is held to the bounded types: all five.
SERVICES: list[ServiceDefinition] = [INTAKE, CASEWORK, MATCHING, COMPLAINTS, DISBURSEMENT]

# What an instant or a date may be validated by to count as bounded.
_INSTANT_CHECKS: frozenset[Callable[..., Any]] = frozenset({bounded_instant, entered_instant})
_DATE_CHECKS: frozenset[Callable[..., Any]] = frozenset({bounded_date, past_date, entered_date, entered_past_date})
# Pydantic's own date and datetime types are dates and instants too (and no bound: AwareDatetime reaches year 1).
_INSTANT_TYPES: tuple[type, ...] = (
    dt.datetime,
    pydantic.AwareDatetime,
    pydantic.NaiveDatetime,
    pydantic.PastDatetime,
    pydantic.FutureDatetime,
)
_DATE_TYPES: tuple[type, ...] = (dt.date, pydantic.PastDate, pydantic.FutureDate)


@dataclass(frozen=True)
class Input:
    """One temporal input of a route: where it is (`query.updated_since`, `body.results[].paid_at`) and its type."""

    where: str
    kind: str  # "instant" or "date"
    bounded: bool


def _checks(metadata: Sequence[Any]) -> set[Callable[..., Any]]:
    return {m.func for m in metadata if isinstance(m, AfterValidator)}


def temporal_inputs(
    annotation: Any, metadata: Sequence[Any], where: str, seen: frozenset[type] = frozenset()
) -> Iterator[Input]:
    """The instants and dates `annotation` (with its field's `metadata`) accepts, however deeply nested."""
    if get_origin(annotation) is Annotated:
        inner, *extra = get_args(annotation)
        yield from temporal_inputs(inner, [*metadata, *extra], where, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:  # a recursive model: its fields are being walked already
            return
        for name, info in annotation.model_fields.items():
            yield from temporal_inputs(info.annotation, info.metadata, f"{where}.{name}", seen | {annotation})
        return
    # A datetime is a date too: instants are tested first.
    if isinstance(annotation, type) and issubclass(annotation, _INSTANT_TYPES):
        yield Input(where, "instant", bool(_checks(metadata) & _INSTANT_CHECKS))
        return
    if isinstance(annotation, type) and issubclass(annotation, _DATE_TYPES):
        yield Input(where, "date", bool(_checks(metadata) & _DATE_CHECKS))
        return
    origin = get_origin(annotation)
    if origin is None:
        return  # str, int, an enum, Any: nothing temporal
    nested = "[]" if origin in (list, tuple, set, frozenset, Sequence) else ""
    for arg in get_args(annotation):
        if arg is not type(None) and arg is not Ellipsis:
            # Metadata of a union applies to its members (an optional field); that of a list not to its items.
            inherited = metadata if origin in (Union, types.UnionType) else []
            yield from temporal_inputs(arg, inherited, where + nested, seen)


def _dependant_inputs(dependant: Dependant) -> Iterator[Input]:
    for kind in ("path", "query", "header", "cookie", "body"):
        for param in getattr(dependant, f"{kind}_params"):
            yield from temporal_inputs(param.field_info.annotation, param.field_info.metadata, f"{kind}.{param.name}")
    for sub in dependant.dependencies:
        yield from _dependant_inputs(sub)


def route_inputs(routers: Sequence[APIRouter]) -> Iterator[tuple[str, Input]]:
    """(`METHOD /path`, input) for every temporal input of every route of `routers`."""
    for router in routers:
        for route in router.routes:
            if isinstance(route, APIRoute):
                label = f"{','.join(sorted(route.methods or ()))} {route.path}"
                for found in _dependant_inputs(route.dependant):
                    yield label, found


@pytest.mark.parametrize("definition", SERVICES, ids=lambda d: d.name)
def test_every_instant_and_date_a_service_accepts_is_bounded(definition: ServiceDefinition) -> None:
    found = list(route_inputs(definition.routers))
    unbounded = [f"{route} {i.where} ({i.kind})" for route, i in found if not i.bounded]
    assert unbounded == [], "use Instant, CivilDate or PastDate (libs.contracts.dates)"
    # The walk reaches them: each service takes instants or dates, all but matching in request bodies too.
    assert found
    assert definition is MATCHING or any(i.where.startswith("body.") for _, i in found)


def test_the_findings_fields_are_walked_and_bounded() -> None:
    """The three fields of the finding, by name: a refactoring that hid them from the walk would fail here."""
    walked = {(route, i.where): i for definition in SERVICES for route, i in route_inputs(definition.routers)}
    assert walked[("POST /api/v1/province/warnings", "body.body.raised_at")] == Input(
        "body.body.raised_at", "instant", True
    )
    assert walked[("GET /api/v1/province/recipients", "query.updated_since")].bounded
    paid_at = ("POST /api/v1/finance/rosters/{roster_id}/payment-results", "body.body.results[].paid_at")
    assert walked[paid_at] == Input(paid_at[1], "instant", True)


# ---- the walk itself: it must see an unbounded input wherever one can hide ------------------------------------


class _Leaf(BaseModel):
    at: dt.datetime
    on: CivilDate


class _Branch(BaseModel):
    leaves: list[_Leaf]
    maybe: _Leaf | None = None
    born: Annotated[dt.date, pydantic.Field(description="no bound")]
    seen: tuple[Instant, ...] = ()
    happened: PastDate | None = None
    aware: pydantic.AwareDatetime
    child: _Branch | None = None


def _probe_router() -> APIRouter:
    router = APIRouter()

    @router.post("/probe/{day}")
    def probe(
        day: dt.date,
        body: _Branch,
        since: Annotated[pydantic.AwareDatetime | None, Query()] = None,
        until: Annotated[Instant | None, Query()] = None,
        days: Annotated[list[dt.date] | None, Query()] = None,
        stamp: Annotated[dt.datetime | None, Body()] = None,
    ) -> None:
        return None

    return router


def test_the_walk_names_every_unbounded_input_and_passes_bounded_ones() -> None:
    found = {i.where: i for _, i in route_inputs([_probe_router()])}
    assert {w for w, i in found.items() if not i.bounded} == {
        "path.day",
        "query.since",
        "query.days[]",
        "body.body.leaves[].at",
        "body.body.maybe.at",
        "body.body.born",
        "body.body.aware",
        "body.stamp",
    }
    assert {w for w, i in found.items() if i.bounded} == {
        "query.until",
        "body.body.leaves[].on",
        "body.body.maybe.on",
        "body.body.seen[]",
        "body.body.happened",
    }
    assert found["body.body.aware"].kind == "instant"
    assert found["body.body.born"].kind == "date"


def test_the_bounded_types_refuse_year_1_and_9999() -> None:
    """What the types the walk asks for do: years a record cannot have are refused, the present is not."""
    instant, civil = TypeAdapter(Instant), TypeAdapter(CivilDate)
    assert instant.validate_python("2026-11-01T00:00:00+08:00").year == 2026
    assert civil.validate_python("2026-11-01") == dt.date(2026, 11, 1)
    for at in ("0001-01-01T00:00:00+00:00", "0001-01-01T00:00:00-12:00", "9999-12-31T23:59:59+14:00"):
        with pytest.raises(ValidationError):
            instant.validate_python(at)
    for on in ("0001-01-01", "9999-12-31"):
        with pytest.raises(ValidationError):
            civil.validate_python(on)
