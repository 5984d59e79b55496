from typing import Annotated, ClassVar

from pydantic import Field

from libs.kernel.settings import ServiceSettings


class DisbursementSettings(ServiceSettings):
    """Read from `DISBURSEMENT_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "DISBURSEMENT_"
    service_name: str = "disbursement"
    port: int = 8105
    # A county submits its roster to finance by this day of the month it pays (DOMAIN.md §9: by the 5th).
    roster_due_day: Annotated[int, Field(ge=1, le=28)] = 5
    # At most this share of a line's payment goes to recovery deductions, so a family is never left with nothing
    # in a month; the rest of an order waits for later rosters (or is collected).
    recovery_deduction_percent: Annotated[int, Field(ge=1, le=100)] = 50
    # Payment results per request (CONTRACTS.md §3): a larger batch is a 413, split it.
    results_batch_max: Annotated[int, Field(ge=1)] = 10_000
    # Lines per sealed chunk of a locked roster's CSV: what the stream holds in memory at a time.
    export_chunk_lines: Annotated[int, Field(ge=1)] = 4_000
