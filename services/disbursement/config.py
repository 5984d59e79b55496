from typing import ClassVar

from libs.kernel.settings import ServiceSettings


class DisbursementSettings(ServiceSettings):
    """Read from `DISBURSEMENT_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "DISBURSEMENT_"
    service_name: str = "disbursement"
    port: int = 8105
