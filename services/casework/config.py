from typing import ClassVar

from pydantic import SecretStr

from libs.kernel.settings import ServiceSettings


class CaseworkSettings(ServiceSettings):
    """Read from `CASEWORK_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "CASEWORK_"
    service_name: str = "casework"
    port: int = 8102
    # The provincial low-income population system (CONTRACTS.md §4): changes are POSTed to
    # `{province_base_url}/recipients/changes`. Empty: no push (changes are still kept and listed).
    province_base_url: str = ""
    province_token: SecretStr = SecretStr("")
    province_batch_size: int = 100
    province_timeout_seconds: float = 10.0
    # Back-off between failed pushes, doubling from the first figure up to the second.
    province_retry_min_seconds: float = 1.0
    province_retry_max_seconds: float = 300.0
    # How often the worker looks at the review calendar, publicity periods and pending pushes.
    jobs_interval_seconds: float = 30.0
    # The province's push runs when the registry records a version, at most this often; with a province configured
    # it also looks this often for failed pushes due again (province/push.py).
    province_interval_seconds: float = 2.0
