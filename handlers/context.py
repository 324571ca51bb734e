"""What every listener module shares: the services, the ports to Slack, and the inbox their acks write to."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.delivery.inbox import new_item
from bot.delivery.outbox import OutboxPort
from bot.delivery.ports import ChatPort
from bot.services import Services
from handlers.envelope import delivery_kind

log = logging.getLogger(__name__)
#: The width of the inbox's key column.
MAX_KEY = 160


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class HandlerContext:
    """Built once per process."""

    services: Services
    chat: OutboxPort
    #: For calls made before an ack (opening a modal): one try, a short timeout, failures raise.
    quick: ChatPort
    #: Called when work was stored, so this process's workers look at once.
    wake: Callable[[], None] = field(default=_nothing)

    @property
    def ops_channel(self) -> str | None:
        """The ops channel id."""
        return self.services.settings.ops_channel_id

    def accept(self, body: dict[str, Any], kind: str, key: str, user: str, **fields: Any) -> None:
        """Store a delivery for the workers, before its ack: a repeat of one stored already is dropped.

        ``key`` identifies the delivery across Slack's retries (an event id, a message, a click); ``user`` is
        who it is from (their deliveries are worked on in order). Raises when the database cannot store it:
        the ack is then an error, so Slack retries an event and the person sees a click or a form fail.
        """
        delivery = delivery_kind(body)
        payload = {"body": body, "user": user, "event_id": body.get("event_id"), **fields}
        key = (key or f"unkeyed:{uuid.uuid4().hex}")[:MAX_KEY]
        item = new_item(key, kind, user or key, payload, self.services.clock)
        with self.services.uow() as u:
            stored = u.inbox.put(item)
        if not stored:
            self.services.metrics.record_duplicate(delivery)
            log.info("duplicate delivery dropped", extra={"event_id": body.get("event_id"), "key": item.key})
            return
        self.services.metrics.record_event(delivery)
        self.wake()
