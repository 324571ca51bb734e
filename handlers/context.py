"""What every listener module shares: the services, the port to Slack, and once-per-event delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.delivery.once import first_delivery
from bot.delivery.outbox import ReliablePort
from bot.services import Services
from handlers.envelope import delivery_kind

log = logging.getLogger(__name__)
EventListener = Callable[[dict[str, Any]], None]


@dataclass(frozen=True)
class HandlerContext:
    """Built once per app."""

    services: Services
    chat: ReliablePort

    @property
    def ops_channel(self) -> str | None:
        """The ops channel id."""
        return self.services.settings.ops_channel_id

    def once(self, listener: EventListener) -> Callable[..., None]:
        """A lazy event listener that runs once per event id, across Slack's retries and every instance."""
        metrics = self.services.metrics

        def lazy(body: dict[str, Any], event: dict[str, Any]) -> None:
            kind, event_id = delivery_kind(body), body.get("event_id")
            if event_id and not first_delivery(self.services.uow, str(event_id), self.services.clock.now()):
                metrics.record_duplicate(kind)
                log.info("duplicate delivery dropped", extra={"event_id": event_id})
                return
            metrics.record_event(kind)
            listener(event)

        return lazy
