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

from bot.delivery.inbox import RETENTION
from bot.delivery.ports import ChatPort
from bot.intake.conversation import Conversation
from bot.platform.clock import Clock
from bot.platform.text import words
from bot.services import Services
from storage.uow import UnitOfWorkFactory

DRAFT_SWEEP_MINUTES = 15
#: Slack retries an unacknowledged delivery three times within minutes (after about 1 s, 1 min and 5 min), so
#: an inbox item done a day ago can never meet its retry again: it is deleted, and the table stays small.
#: Outbox rows sent are kept a week (what was posted, for support), then deleted.
SENT_RETENTION = timedelta(days=7)
PRUNE_MINUTES = 15
#: A request without its triage message this long after its submission (and nothing queued for it within the
#: hour) gets it posted by the repair job.
REPAIR_AFTER = timedelta(minutes=2)
REPAIR_MINUTES = 5
#: A tick that could not run on time (busy or paused process) still runs within this many seconds.
MISFIRE_GRACE_S = 3600


def notify_expired_drafts(conversation: Conversation, port: ChatPort) -> int:
    """Remove drafts silent for 7 days and tell each requester once (in the same transaction); returns how many."""
    with conversation.uow.transaction():
        expired = conversation.expire_drafts()
        for draft in expired:
            title = words(draft.brief.get("title") or "your request")
            port.post(
                draft.requester_id,  # chat.postMessage to a user id posts in the app's DM with them
                f"Your draft for {title} expired after 7 days without messages. Send me a message to start again.",
            )
    return len(expired)


def prune(uow: UnitOfWorkFactory, clock: Clock) -> int:
    """Delete inbox items done a day ago and outbox rows sent a week ago; returns how many."""
    now = clock.now()
    with uow() as u:
        return u.inbox.prune(now - RETENTION) + u.outbox.prune(now - SENT_RETENTION)


def repair_triage(services: Services, port: ChatPort) -> int:
    """Post the missing triage messages (requests ops would otherwise see only as a count); returns how many."""
    now = services.clock.now()
    return len(services.cards.repair(port, now - REPAIR_AFTER, now - timedelta(hours=1)))


def build_scheduler(services: Services, port: ChatPort, *, blocking: bool = False) -> BaseScheduler:
    """The process's scheduler with every periodic job (not started); ``blocking`` for the ``scheduler`` command.

    The outbox is not a job: workers send it continuously.
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
        prune,
        IntervalTrigger(minutes=PRUNE_MINUTES),
        args=[services.uow, services.clock],
        id="prune",
        replace_existing=True,
    )
    scheduler.add_job(
        repair_triage,
        IntervalTrigger(minutes=REPAIR_MINUTES),
        args=[services, port],
        id="repair_triage",
        replace_existing=True,
    )
    return scheduler
