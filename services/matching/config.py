from typing import ClassVar

from pydantic import Field

from libs.kernel.settings import ServiceSettings


class MatchingSettings(ServiceSettings):
    """Read from `MATCHING_*`, then `JIUZHU_*`, then unprefixed variables (libs.kernel.settings)."""

    prefix: ClassVar[str] = "MATCHING_"
    service_name: str = "matching"
    port: int = 8103
    # A feed body is parsed and checked this many bytes at a time: memory stays flat whatever the feed's size.
    feed_block_bytes: int = 8 * 1024 * 1024
    # Blocks are parsed, checked and hashed in this many processes of the API's own (feeds/checking.py), so a large
    # feed is not bound by one Python core; 0 checks them in a thread of the API process. Worth it only with cores
    # the API can use beyond its own: on a quiet two-core machine shared with PostgreSQL, 2 made a 10-million-row
    # upload 0.75x as long (bench/RESULTS.md, issue 23); the Kubernetes API pod is limited to one core, so the
    # default is 0. The API must be started as a module (`python -m ...`) for its workers to start cleanly.
    feed_check_processes: int = Field(default=0, ge=0, le=16)
    # A loaded feed wakes the worker's feed job at once (a NOTIFY at the load's commit); besides, the job looks this
    # often for what no notification announced: a retry that came due, a broken upload to sweep.
    feed_poll_seconds: float = Field(default=10.0, gt=0, le=3600)
    # How often the worker looks for sources whose scheduled run is due.
    schedule_interval_seconds: float = 60.0
    # A hit is to be closed within two weeks of being raised (seed 001).
    hit_due_days: int = 14
    # Feeds kept per source with their records; older ones are dropped once a newer feed is matched.
    feeds_kept_per_source: int = 2
    # A feed whose matching run failed this many times is marked failed (its error is shown on the feed); a failed
    # run is tried again after this many seconds times the attempts so far.
    feed_max_attempts: int = 3
    feed_retry_seconds: float = 60.0
    # A body that sends nothing for this long is given up by its loader (the feed fails, its rows are dropped).
    feed_stalled_minutes: float = 5.0
    # An upload created by `POST /feeds/uploads` whose body never came is failed after this long.
    feed_upload_expiry_minutes: float = 60.0
    # No row of any source is this long: a body with a longer line cannot be cut into rows (failed as unframed).
    feed_max_line_bytes: int = 1024 * 1024
    # A feed that is mostly garbage stops loading: once more than `feed_reject_floor` rows were rejected and they
    # are more than `feed_reject_ratio` of the rows read, it fails (the first rejects stay listed).
    feed_reject_floor: int = 10_000
    feed_reject_ratio: float = 0.5
