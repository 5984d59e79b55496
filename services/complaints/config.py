from typing import ClassVar

from libs.kernel.settings import ServiceSettings


class ComplaintsSettings(ServiceSettings):
    """Read from `COMPLAINTS_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "COMPLAINTS_"
    service_name: str = "complaints"
    port: int = 8104
