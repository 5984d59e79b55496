from typing import ClassVar

from libs.kernel.settings import ServiceSettings


class CaseworkSettings(ServiceSettings):
    """Read from `CASEWORK_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "CASEWORK_"
    service_name: str = "casework"
    port: int = 8102
