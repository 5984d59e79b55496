from pathlib import Path

from libs.kernel.gauges import Backlog
from libs.kernel.service import ServiceDefinition, ServiceSchema
from services.matching import jobs
from services.matching.context import Matching
from services.matching.db import Base, tables
from services.matching.feeds.router import router as feeds
from services.matching.feeds.sources_router import router as sources
from services.matching.hits.router import router as hits
from services.matching.models import MODELS
from services.matching.outside_region.router import router as outside_region
from services.matching.rules.router import router as rules
from services.matching.statistics.router import router as statistics
from services.matching.subscriptions import subscriptions
from services.matching.watchlist.router import router as watch_list

DEFINITION = ServiceDefinition(
    context_class=Matching,
    schema=ServiceSchema(Base.metadata, tables, Path(__file__).parent / "migrations" / "versions"),
    title="Jiuzhu matching: Registry matching and suspicion hits",
    routers=[feeds, sources, hits, rules, watch_list, outside_region, statistics],
    subscriptions=subscriptions,
    jobs=jobs.jobs,
    # Feed bodies of any size are read row by row into COPY (CONTRACTS.md §5), the uploads' PUT too: no body limit
    # there.
    streamed_paths=("/api/v1/matching/feeds",),
    backlogs=(
        # Open hits past their 14 days (seed 001), by the (status, due_date) index.
        Backlog(
            "overdue",
            "hits",
            "SELECT count(*), min(due_date)::timestamp AT TIME ZONE 'Asia/Shanghai' FROM matching.hits "
            "WHERE status = 'open' AND due_date < :today",
        ),
    ),
)
assert MODELS  # every table is registered on Base.metadata before migrations compare against it
