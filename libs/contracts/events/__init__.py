"""Kafka event payloads (CONTRACTS.md §6): the `data` of each CloudEvent, one module per producing service."""

from libs.contracts.events.base import EventPayload, MemberRef, PersonRef
from libs.contracts.events.catalogue import EVENT_TYPES, TOPICS, UnknownEventType, parse_payload

__all__ = [
    "EVENT_TYPES",
    "TOPICS",
    "EventPayload",
    "MemberRef",
    "PersonRef",
    "UnknownEventType",
    "parse_payload",
]
