"""Casework's scheduled work in the worker: the review calendar, the end of publicity and of gradual exits, the
provincial push, standard raises left unfinished, reviews ahead of birthdays, annual review campaigns, moves
whose month has come, the monthly figures kept per village."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from libs.contracts.clock import business_date
from libs.kernel.jobs import PeriodicJob
from libs.kernel.service import Runtime
from services.casework.campaigns import service as campaigns
from services.casework.case import service as case_service
from services.casework.case.age_reviews import open_age_reviews
from services.casework.case.exits import end_gradual_exits
from services.casework.case.opening import open_due_reviews
from services.casework.context import Casework
from services.casework.moves.service import apply_due as apply_due_moves
from services.casework.province.push import push_job
from services.casework.raises import service as raises
from services.casework.statistics.service import build_due as build_figures


def jobs(runtime: Runtime) -> Sequence[PeriodicJob]:
    ctx = runtime.context_as(Casework)
    every = timedelta(seconds=ctx.settings.jobs_interval_seconds)

    async def reviews(session: AsyncSession) -> None:
        # The review calendar (DOMAIN.md §4): each household's periodic review opens on its date.
        await open_due_reviews(session, ctx)

    async def publicity(session: AsyncSession) -> None:
        # A posting without objection ends after the region's publicity days (DOMAIN.md §3.7).
        await case_service.end_publicity_due(session, ctx)

    async def exits(session: AsyncSession) -> None:
        # A gradual exit's last paid month over, the entitlement stops and a household with nothing else closes.
        await end_gradual_exits(session, ctx)

    async def standard_raises(session: AsyncSession) -> None:
        # A confirmed raise whose runner stopped (a crash, a restart) goes on from its cursor; each chunk commits on
        # its own, so this run's transaction only finds them.
        for batch_id in await raises.stalled(session, ctx.now(), timedelta(minutes=1)):
            await raises.advance(ctx, batch_id)

    async def ages(session: AsyncSession) -> None:
        # Birthdays that end a children's allowance or reach the high-age allowance's age open a review a lead time
        # ahead (issue 21). Once a day is enough: a birthday stays in the window for the whole lead time (a week at
        # least), and a run reads every member whose birthday may be in it.
        await open_age_reviews(session, ctx)

    async def review_campaigns(session: AsyncSession) -> None:
        # An annual review campaign opens its reviews from its window's first day, and one whose runner stopped goes
        # on from its cursor; each chunk commits on its own, so this run's transaction only finds them.
        for campaign_id in await campaigns.due_to_run(session, ctx.now(), timedelta(minutes=1)):
            await campaigns.advance(ctx, campaign_id)

    async def moves(session: AsyncSession) -> None:
        # A move between counties accepted ahead takes effect when its month begins (issue 21).
        await apply_due_moves(session, ctx)

    async def monthly_figures(session: AsyncSession) -> None:
        # The month's figures kept per village (issue 22): a city's statistics add up stored rows. Nightly is the
        # figures' resolution for the month so far; the month before is built once more after its end.
        now = ctx.now()
        await build_figures(session, business_date(now), now)

    return (
        PeriodicJob("review-calendar", every, reviews),
        PeriodicJob("review-campaigns", every, review_campaigns),
        PeriodicJob("household-moves", every, moves),
        PeriodicJob("age-reviews", max(every, timedelta(days=1)), ages),
        PeriodicJob("standard-raises", every, standard_raises),
        PeriodicJob("publicity", every, publicity),
        PeriodicJob("gradual-exits", every, exits),
        push_job(ctx),
        PeriodicJob("monthly-figures", max(every, timedelta(days=1)), monthly_figures),
    )
