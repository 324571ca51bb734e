"""What every listener module shares: the domain flows and a port factory."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.intake import IntakeFlows
from bot.outbox import ReliablePort
from bot.triage import Triage
from handlers.slack_port import TimezoneCache, WebClientPort


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
        return ReliablePort(WebClientPort(client, self.timezones), services.db, services.clock, self.ops_channel)


def strip_mention(text: str) -> str:
    """Text without a leading ``<@U…>`` mention."""
    text = text.strip()
    if text.startswith("<@") and ">" in text:
        text = text.split(">", 1)[1]
    return text.strip()
