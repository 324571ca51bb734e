"""Background jobs on APScheduler. Exactly-once guarantees live in the database, not in the job store."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler

from bot.conversation import Conversation
from bot.ports import ChatPort

log = logging.getLogger(__name__)
DRAFT_SWEEP_MINUTES = 15


def notify_expired_drafts(conversation: Conversation, port: ChatPort) -> int:
    """Remove drafts silent for 7 days and tell each requester once; returns how many."""
    expired = conversation.expire_drafts()
    for draft in expired:
        title = draft.brief.get("title") or "your request"
        port.post(port.open_dm(draft.requester_id),
                  f"Your draft for {title} expired after 7 days without messages. Send me a message to start again.")
    return len(expired)


def build_scheduler(conversation: Conversation, port: ChatPort) -> BackgroundScheduler:
    """The process's scheduler with every periodic job (not started)."""
    scheduler = BackgroundScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1})
    scheduler.add_job(notify_expired_drafts, "interval", minutes=DRAFT_SWEEP_MINUTES, args=[conversation, port],
                      id="expire_drafts", replace_existing=True)
    return scheduler
