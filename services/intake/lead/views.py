"""How a lead is shown to staff: masked in lists, with the contact the township needs in the detail view."""

from __future__ import annotations

import datetime as dt

from libs.contracts.id_number import masked_form
from libs.kernel.presenters import from_row
from services.intake.context import Intake
from services.intake.lead.models import Lead
from services.intake.lead.schemas import ContactOut, LeadOut, LeadStatus, LeadSummary
from services.intake.lead.service import SEAL_CONTEXT, SealedContact


def summary(lead: Lead, today: dt.date) -> LeadSummary:
    overdue = lead.status == LeadStatus.OPEN.value and lead.due_date < today
    return from_row(LeadSummary, lead, lead_id=lead.id, name=lead.name_masked, overdue=overdue)


def detail(ctx: Intake, lead: Lead, today: dt.date) -> LeadOut:
    sealed = SealedContact.model_validate_json(ctx.open(lead.contact_sealed, SEAL_CONTEXT))
    c = sealed.contact
    masked = masked_form(c.id_number) if c.id_number else None
    contact = from_row(ContactOut, c, id_number_masked=masked)
    return from_row(LeadOut, lead, **summary(lead, today).model_dump(), contact=contact, detail=sealed.detail)
