from pathlib import Path

from libs.kernel.gauges import Backlog
from libs.kernel.service import ServiceDefinition, ServiceSchema
from libs.modules.work_calendar import calendar_router
from services.casework import jobs
from services.casework.appeals.router import router as appeals
from services.casework.campaigns.router import router as review_campaigns
from services.casework.case.close_relatives_router import router as relatives
from services.casework.case.deaths_router import router as deaths
from services.casework.case.posting_router import router as postings
from services.casework.case.router import router as cases
from services.casework.context import Casework
from services.casework.db import SCHEMA, Base, calendar_years, tables
from services.casework.documents.posting_router import router as posting_sheets
from services.casework.documents.router import router as documents
from services.casework.grants.router import router as temporary_grants
from services.casework.local_figures.router import router as standards
from services.casework.moves.router import router as moves
from services.casework.onboarding.router import router as onboarding
from services.casework.province.router import router as province
from services.casework.public.router import router as public_page
from services.casework.raises.router import router as standard_raises
from services.casework.registry.router import router as households
from services.casework.reports.router import router as reports
from services.casework.statistics.router import router as statistics
from services.casework.subscriptions import subscriptions

DEFINITION = ServiceDefinition(
    context_class=Casework,
    schema=ServiceSchema(Base.metadata, tables, Path(__file__).parent / "migrations" / "versions"),
    title="Jiuzhu casework: Cases, decisions and the recipient registry",
    routers=[
        cases,
        households,
        moves,
        deaths,
        onboarding,
        postings,
        public_page,
        standards,
        standard_raises,
        temporary_grants,
        appeals,
        review_campaigns,
        relatives,
        reports,
        documents,
        posting_sheets,
        statistics,
        province,
        calendar_router(SCHEMA, calendar_years),
    ],
    subscriptions=subscriptions,
    jobs=jobs.jobs,
    backlogs=(
        # ix_province_changes_pending holds exactly the undelivered changes.
        Backlog(
            "pending",
            "province_changes",
            "SELECT count(*), min(created_at) FROM casework.province_changes WHERE delivered_at IS NULL",
        ),
    ),
)
