"""What every listener module shares: the domain flows and a port factory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.intake.flows import IntakeFlows
from bot.platform.metrics import delivery_kind
from bot.delivery.outbox import ReliablePort
from bot.triage.service import Triage
from handlers.slack_port import TimezoneCache, WebClientPort

log = logging.getLogger(__name__)
EventListener = Callable[[dict[str, Any], WebClient], None]


@dataclass
class HandlerContext:
    """Built once per app; listeners take a port per request from it."""

    intake: IntakeFlows
    triage: Triage
    timezones: TimezoneCache

    @property
    def ops_channel(self) -> str | None:
        """The ops channel id."""
        return self.intake.services.settings.ops_channel_id

    def port(self, client: WebClient) -> ReliablePort:
        """The ChatPort over this request's client, with failed posts kept in the outbox."""
        services = self.intake.services
        inner = WebClientPort(client, self.timezones, services.metrics.record_slack_error)
        return ReliablePort(inner, services.db, services.clock, self.ops_channel)

    def once(self, listener: EventListener) -> Callable[..., None]:
        """A lazy event listener that runs once per event id, across Slack's retries and every instance."""
        def lazy(body: dict[str, Any], event: dict[str, Any], client: WebClient) -> None:
            kind, event_id = delivery_kind(body), body.get("event_id")
            if event_id and not self.intake.first_delivery(str(event_id)):
                self.intake.services.metrics.record_duplicate(kind)
                log.info("duplicate delivery dropped", extra={"event_id": event_id})
                return
            self.intake.services.metrics.record_event(kind)
            listener(event, client)
        return lazy


def strip_mention(text: str) -> str:
    """Text without a leading ``<@U…>`` mention."""
    text = text.strip()
    if text.startswith("<@") and ">" in text:
        text = text.split(">", 1)[1]
    return text.strip()
