"""The scheduler's job list. Exactly-once guarantees live in the database, not in the job store.

Every job is a frequent, idempotent tick that asks the database what is due at this instant: job stores
are in memory and per process, so restarts and several instances are safe, and a tick after downtime
catches up the same day (SPEC 2.4).
"""

from __future__ import annotations

from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.delivery.outbox import deliver_due
from bot.delivery.ports import ChatPort
from bot.intake.conversation import Conversation
from bot.platform.clock import Clock
from bot.platform.text import words
from bot.services import Services
from storage.uow import UnitOfWorkFactory

DRAFT_SWEEP_MINUTES = 15
OUTBOX_RETRY_MINUTES = 1
#: Slack retries an unacknowledged delivery three times within minutes (after about 1 s, 1 min and 5 min), so
#: a claim older than an hour can never meet its retry again: it is deleted, and the table stays small.
CLAIM_RETENTION = timedelta(hours=1)
CLAIM_PRUNE_MINUTES = 15
#: A tick that could not run on time (busy or paused process) still runs within this many seconds.
MISFIRE_GRACE_S = 3600


def notify_expired_drafts(conversation: Conversation, port: ChatPort) -> int:
    """Remove drafts silent for 7 days and tell each requester once; returns how many."""
    expired = conversation.expire_drafts()
    for draft in expired:
        title = words(draft.brief.get("title") or "your request")
        port.post(
            port.open_dm(draft.requester_id),
            f"Your draft for {title} expired after 7 days without messages. Send me a message to start again.",
        )
    return len(expired)


def prune_claims(uow: UnitOfWorkFactory, clock: Clock) -> int:
    """Delete the once-per-event claims older than CLAIM_RETENTION; returns how many."""
    with uow() as u:
        return u.deliveries.prune(clock.now() - CLAIM_RETENTION)


def build_scheduler(
    services: Services, port: ChatPort, *, outbox_port: ChatPort | None = None, blocking: bool = False
) -> BaseScheduler:
    """The process's scheduler with every periodic job (not started); ``blocking`` for the ``scheduler`` command.

    ``outbox_port`` is the port straight to Slack that queued posts are retried through (no retry job without it).
    """
    kind = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = kind(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE_S}
    )
    scheduler.add_job(
        notify_expired_drafts,
        IntervalTrigger(minutes=DRAFT_SWEEP_MINUTES),
        args=[services.conversation, port],
        id="expire_drafts",
        replace_existing=True,
    )
    scheduler.add_job(
        services.digests.send_due, CronTrigger(minute="*/5"), args=[port], id="digests", replace_existing=True
    )
    scheduler.add_job(
        services.nudges.send_due, CronTrigger(minute="*/15"), args=[port], id="nudges", replace_existing=True
    )
    scheduler.add_job(
        services.report.send_due,
        CronTrigger(day_of_week="mon", minute="*/5", timezone=services.settings.timezone),
        args=[port],
        id="weekly_report",
        replace_existing=True,
    )
    scheduler.add_job(
        prune_claims,
        IntervalTrigger(minutes=CLAIM_PRUNE_MINUTES),
        args=[services.uow, services.clock],
        id="prune_claims",
        replace_existing=True,
    )
    if outbox_port is not None:
        scheduler.add_job(
            deliver_due,
            IntervalTrigger(minutes=OUTBOX_RETRY_MINUTES),
            args=[services.uow, outbox_port, services.clock, services.settings.ops_channel_id],
            id="outbox",
            replace_existing=True,
        )
    return scheduler
