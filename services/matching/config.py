from typing import ClassVar

from libs.kernel.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    """Read from `MATCHING_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "MATCHING_"
    service_name: str = "matching"
    port: int = 8103
    # A feed body is parsed and checked this many bytes at a time: memory stays flat whatever the feed's size.
    feed_block_bytes: int = 8 * 1024 * 1024
    # How often the worker looks for loaded feeds to match, and for sources whose scheduled run is due.
    feed_poll_seconds: float = 1.0
    schedule_interval_seconds: float = 60.0
    # A hit is to be closed within two weeks of being raised (seed 001).
    hit_due_days: int = 14
    # Feeds kept per source with their records; older ones are dropped once a newer feed is matched.
    feeds_kept_per_source: int = 2
    # A feed whose matching run failed this many times is marked failed (its error is shown on the feed); a failed
    # run is tried again after this many seconds times the attempts so far.
    feed_max_attempts: int = 3
    feed_retry_seconds: float = 60.0
    # An upload that has stored nothing for this long (its API process died, say) is marked failed and dropped.
    feed_stalled_minutes: float = 15.0
