from typing import Annotated, ClassVar

from pydantic import Field

from libs.kernel.settings import ServiceSettings


class ComplaintsSettings(ServiceSettings):
    """Read from `COMPLAINTS_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "COMPLAINTS_"
    service_name: str = "complaints"
    port: int = 8104
    # How often the worker looks for results to push to hotline platforms (CONTRACTS.md §2).
    push_interval_seconds: Annotated[float, Field(gt=0)] = 5.0
    # A failed push is retried after the first figure, doubling up to the second: a platform down for hours still
    # gets each result within the longer delay of coming back.
    push_retry_min_seconds: Annotated[float, Field(gt=0)] = 30.0
    push_retry_max_seconds: Annotated[float, Field(gt=0)] = 1800.0
    push_timeout_seconds: Annotated[float, Field(gt=0)] = 10.0
    # Deliveries attempted per run of the push job, and at once.
    push_batch_size: Annotated[int, Field(ge=1, le=1000)] = 100
    push_concurrency: Annotated[int, Field(ge=1, le=64)] = 8
