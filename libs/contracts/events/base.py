"""What every event payload shares (CONTRACTS.md §6).

Payloads may gain fields but never rename or drop one, and consumers ignore fields they do not know, so a
producer can be deployed before its consumers. Identity numbers appear only where the consumer needs them
(DOMAIN.md §11).
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import StringConstraints

from libs.contracts.id_number import IdNumberStr
from libs.contracts.models import Tolerant

# Identifiers are opaque strings chosen by the producing service.
Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class EventPayload(Tolerant):
    """Base of every payload: immutable, tolerant of unknown fields, typed by `event_type`."""

    # The CloudEvents `type`, which is also the Kafka topic name.
    event_type: ClassVar[str]
    # Goes into the envelope's `dataschemaversion`; raised only for an incompatible change, which the rules
    # forbid.
    schema_version: ClassVar[int] = 1


class PersonRef(Tolerant):
    """A person named in an event."""

    id_number: IdNumberStr
    name: Text


class MemberRef(PersonRef):
    """A household member; `relation` is to the household head (e.g. head, spouse, child)."""

    relation: Text
