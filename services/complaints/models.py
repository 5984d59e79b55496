"""Every table of complaints, imported so that they are on `Base.metadata` (migrations compare against it)."""

from services.complaints.hotline.models import WorkOrder
from services.complaints.local_figures.models import ComplaintPolicy
from services.complaints.push.models import DeliveryAttempt, HotlinePlatform
from services.complaints.register.models import Complaint, ContactRead, InvestigationNote, ResultDelivery, StatusChange
from services.complaints.relatives.models import KnownHousehold, KnownMember, RegisteredRelative

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
    RegisteredRelative,
    KnownHousehold,
    KnownMember,
)
