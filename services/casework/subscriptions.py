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
from libs.kernel.consumer import handling, on
from libs.kernel.service import Runtime, Subscriptions
from services.casework import handlers
from services.casework.case import application_events, verification_report
from services.casework.context import Casework
from services.casework.grants import service as grants


def subscriptions(runtime: Runtime) -> Subscriptions:
    ctx = runtime.context_as(Casework)
    return {
        # Applications: open the case, then the verification report, withdrawals and extensions.
        "applications": handling(
            on(ApplicationSubmitted, ctx, application_events.submitted),
            on(ApplicationWithdrawn, ctx, application_events.withdrawn),
            on(ApplicationDeadlineExtended, ctx, application_events.extended),
            on(VerificationCompleted, ctx, verification_report.verified),
        ),
        # Triggered reviews (DOMAIN.md §4).
        "triggers": handling(
            on(DeathDetected, ctx, handlers.death_detected),
            on(MatchHitConfirmed, ctx, handlers.hit_confirmed),
            on(ComplaintSubstantiated, ctx, handlers.complaint_substantiated),
            on(ReviewRequested, ctx, handlers.review_requested),
            on(PaymentFailed, ctx, handlers.payment_failed),
            on(OverpaymentDetected, ctx, handlers.overpayment_detected),
        ),
        # Temporary grants paid once: finance's answer for each payment order.
        "grants": handling(on(TemporaryGrantPaymentReported, ctx, grants.payment_reported)),
    }
