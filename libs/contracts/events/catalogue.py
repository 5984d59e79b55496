"""Every event type, its payload model and its Kafka topic (CONTRACTS.md §6: the topic is the event type)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from libs.contracts.events.base import EventPayload
from libs.contracts.events.casework import CaseDecided, EntitlementChanged, HouseholdChanged
from libs.contracts.events.complaints import ComplaintSubstantiated, HelpRequested
from libs.contracts.events.disbursement import OverpaymentDetected, PaymentFailed
from libs.contracts.events.grants import TemporaryGrantIssued, TemporaryGrantPaymentReported, TemporaryGrantReclaimed
from libs.contracts.events.intake import (
    ApplicationDeadlineExtended,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    ReviewRequested,
)
from libs.contracts.events.matching import DeathDetected, MatchHitConfirmed, VerificationCompleted
from libs.contracts.events.platform import PlatformProbe
from libs.contracts.events.relatives import CloseRelativeFilingChanged

# In the order of the CONTRACTS.md §6 table, then the events added since; the platform probe last.
_MODELS: tuple[type[EventPayload], ...] = (
    ApplicationSubmitted,
    ApplicationWithdrawn,
    VerificationCompleted,
    CaseDecided,
    EntitlementChanged,
    HouseholdChanged,
    DeathDetected,
    MatchHitConfirmed,
    ComplaintSubstantiated,
    HelpRequested,
    PaymentFailed,
    OverpaymentDetected,
    ApplicationDeadlineExtended,
    ReviewRequested,
    TemporaryGrantIssued,
    TemporaryGrantPaymentReported,
    TemporaryGrantReclaimed,
    CloseRelativeFilingChanged,
    PlatformProbe,
)

EVENT_TYPES: dict[str, type[EventPayload]] = {model.event_type: model for model in _MODELS}
# Kafka topic names, before the deployment's KAFKA_TOPIC_PREFIX.
TOPICS: tuple[str, ...] = tuple(EVENT_TYPES)


class UnknownEventType(KeyError):
    """An event type this version of the contracts does not know."""


def parse_payload(event_type: str, data: Mapping[str, Any]) -> EventPayload:
    """Validate the `data` of a CloudEvent of type `event_type`; raises pydantic.ValidationError."""
    model = EVENT_TYPES.get(event_type)
    if model is None:
        raise UnknownEventType(event_type)
    return model.model_validate(data)
