"""Which events casework consumes, and the use case of each: consumer name → {event type → handler}."""

from libs.contracts.events.complaints import ComplaintSubstantiated
from libs.contracts.events.disbursement import OverpaymentDetected, PaymentFailed
from libs.contracts.events.grants import TemporaryGrantPaymentReported
from libs.contracts.events.intake import (
    ApplicationDeadlineExtended,
    ApplicationSubmitted,
    ApplicationWithdrawn,
    ReviewRequested,
)
from libs.contracts.events.matching import DeathDetected, MatchHitConfirmed, VerificationCompleted
from libs.kernel.consumer import typed_handler
from libs.kernel.service import Runtime, Subscriptions
from services.casework import handlers
from services.casework.case import application_events, verification_report
from services.casework.context import Casework
from services.casework.grants import service as grants


def subscriptions(runtime: Runtime) -> Subscriptions:
    ctx = runtime.context_as(Casework)
    return {
        # Applications: open the case, then the verification report, withdrawals and extensions.
        "applications": {
            ApplicationSubmitted.event_type: typed_handler(ApplicationSubmitted, ctx, application_events.submitted),
            ApplicationWithdrawn.event_type: typed_handler(ApplicationWithdrawn, ctx, application_events.withdrawn),
            ApplicationDeadlineExtended.event_type: typed_handler(
                ApplicationDeadlineExtended, ctx, application_events.extended
            ),
            VerificationCompleted.event_type: typed_handler(VerificationCompleted, ctx, verification_report.verified),
        },
        # Triggered reviews (DOMAIN.md §4).
        "triggers": {
            DeathDetected.event_type: typed_handler(DeathDetected, ctx, handlers.death_detected),
            MatchHitConfirmed.event_type: typed_handler(MatchHitConfirmed, ctx, handlers.hit_confirmed),
            ComplaintSubstantiated.event_type: typed_handler(
                ComplaintSubstantiated, ctx, handlers.complaint_substantiated
            ),
            ReviewRequested.event_type: typed_handler(ReviewRequested, ctx, handlers.review_requested),
            PaymentFailed.event_type: typed_handler(PaymentFailed, ctx, handlers.payment_failed),
            OverpaymentDetected.event_type: typed_handler(OverpaymentDetected, ctx, handlers.overpayment_detected),
        },
        # Temporary grants paid once: finance's answer for each payment order.
        "grants": {
            TemporaryGrantPaymentReported.event_type: typed_handler(
                TemporaryGrantPaymentReported, ctx, grants.payment_reported
            ),
        },
    }
