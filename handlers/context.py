"""What every listener module shares: the services, the port to Slack, and once-per-delivery claims."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.delivery.once import first_delivery
from bot.delivery.outbox import ReliablePort
from bot.delivery.ports import ChatPort
from bot.services import Services
from handlers.envelope import delivery_kind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HandlerContext:
    """Built once per app."""

    services: Services
    chat: ReliablePort
    #: For calls made before an ack (opening a modal): one try, a short timeout, failures raise.
    quick: ChatPort

    @property
    def ops_channel(self) -> str | None:
        """The ops channel id."""
        return self.services.settings.ops_channel_id

    def first(self, body: dict[str, Any], key: object) -> bool:
        """True the first time a delivery key is seen, across Slack's retries and every instance.

        Only deliveries that will be handled are claimed (claims are pruned once Slack's retries are over).
        """
        kind = delivery_kind(body)
        if not key:
            return False
        if not first_delivery(self.services.uow, str(key)[:128], self.services.clock.now()):
            self.services.metrics.record_duplicate(kind)
            log.info("duplicate delivery dropped", extra={"event_id": body.get("event_id"), "key": str(key)[:128]})
            return False
        self.services.metrics.record_event(kind)
        return True
