from typing import ClassVar

from libs.kernel.settings import ServiceSettings


class IntakeSettings(ServiceSettings):
    """Read from `INTAKE_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "INTAKE_"
    service_name: str = "intake"
    port: int = 8101
