"""Every table of complaints, imported so that they are on `Base.metadata` (migrations compare against it)."""

from services.complaints.hotline.models import WorkOrder
from services.complaints.ledger.models import Complaint, ContactRead, InvestigationNote, StatusChange
from services.complaints.policy.models import ComplaintPolicy
from services.complaints.push.models import DeliveryAttempt, HotlinePlatform, ResultDelivery

MODELS = (
    Complaint,
    StatusChange,
    InvestigationNote,
    ContactRead,
    WorkOrder,
    ComplaintPolicy,
    HotlinePlatform,
    ResultDelivery,
    DeliveryAttempt,
)
