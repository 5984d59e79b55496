from typing import ClassVar

from libs.kernel.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    """Read from `MATCHING_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "MATCHING_"
    service_name: str = "matching"
    port: int = 8103
