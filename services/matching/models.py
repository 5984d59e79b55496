"""Every model module of matching, imported so `Base.metadata` knows all tables (migrations compare against it)."""

from services.matching.feeds import models as feeds
from services.matching.hits import models as hits
from services.matching.outside_region import models as outside_region
from services.matching.relatives import models as relatives
from services.matching.rules import models as rules
from services.matching.runs import models as runs
from services.matching.schedules import models as schedules
from services.matching.verification import models as verification
from services.matching.watchlist import models as watchlist

MODELS = (feeds, hits, outside_region, relatives, rules, runs, schedules, verification, watchlist)
