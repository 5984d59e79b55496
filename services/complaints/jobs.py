"""Complaints' scheduled work in the worker: the result push to hotline platforms."""

from __future__ import annotations

from collections.abc import Sequence

from libs.kernel.jobs import PeriodicJob
from libs.kernel.service import Runtime
from services.complaints.context import Complaints
from services.complaints.push.delivery import push_job


def jobs(runtime: Runtime) -> Sequence[PeriodicJob]:
    ctx = runtime.context_as(Complaints)
    return (push_job(ctx),)
