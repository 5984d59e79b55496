"""Who is watched: the people of households paid in the business month, as one SQL query (DOMAIN.md §5)."""

from __future__ import annotations

import datetime as dt

from libs.contracts.clock import business_date
from libs.contracts.period import Period

# Households are watched while an entitlement pays this month or later (an approval paid from next month, the
# months of a gradual exit); their members as members, their obligors as obligors.
# `programs` may name a program twice (two entitlements): rules only test overlap, and de-duplicating costs a sort.
WATCH_LIST = """
    WITH paying AS (
        SELECT household_id, array_agg(program) AS programs
        FROM watch_entitlements
        WHERE open_ended OR last_paid_month >= :month
        GROUP BY household_id
    ), households AS (
        SELECT h.household_id, h.region_code, h.size, p.programs
        FROM watch_households h JOIN paying p USING (household_id)
        WHERE NOT h.closed
    )
    SELECT m.person, 'member'::text AS role, h.household_id, h.region_code, h.size AS household_size, h.programs
    FROM watch_members m JOIN households h USING (household_id)
    UNION ALL
    SELECT o.person, 'obligor'::text, h.household_id, h.region_code, h.size, h.programs
    FROM watch_obligors o JOIN households h USING (household_id)
"""


def business_month(now: dt.datetime) -> str:
    """The month (`YYYY-MM`) whose payments make the watch list at `now`, by the business date."""
    return str(Period.of(business_date(now)))
