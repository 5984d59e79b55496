from pathlib import Path

from libs.kernel.diagnostics import diagnostics_router
from libs.kernel.service import ServiceDefinition
from services.matching import jobs
from services.matching.config import MatchingSettings
from services.matching.context import Matching
from services.matching.db import SCHEMA, Base, tables
from services.matching.feeds.router import router as feeds
from services.matching.feeds.sources_router import router as sources
from services.matching.hits.router import router as hits
from services.matching.models import MODELS
from services.matching.outside_region.router import router as outside_region
from services.matching.rules.router import router as rules
from services.matching.subscriptions import subscriptions
from services.matching.watchlist.router import router as watch_list

DEFINITION = ServiceDefinition(
    name=SCHEMA,
    title="Jiuzhu matching: Registry matching and suspicion hits",
    settings_cls=MatchingSettings,
    context=Matching.of,
    metadata=Base.metadata,
    tables=tables,
    migrations_dir=Path(__file__).parent / "migrations" / "versions",
    routers=[feeds, sources, hits, rules, watch_list, outside_region, diagnostics_router(SCHEMA, tables)],
    subscriptions=subscriptions,
    jobs=jobs.jobs,
    # Feed bodies of any size are read row by row into COPY (CONTRACTS.md §5), the uploads' PUT too: no body limit
    # there.
    streamed_paths=("/api/v1/matching/feeds",),
)
assert MODELS  # every table is registered on Base.metadata before migrations compare against it
