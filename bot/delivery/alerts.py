"""Operational alerts to the ops channel, once per outage across every running instance."""

from __future__ import annotations

from bot.delivery.once import Sent, claimed, send_once
from bot.delivery.ports import ChatPort
from bot.platform.clock import Clock
from storage.uow import UnitOfWorkFactory

LLM_OUTAGE = "llm_outage"


class LLMOutageAlert:
    """Tells ops the LLM is down and intake continues on rules; once per hour whatever the instance count."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, port: ChatPort, channel: str) -> None:
        self.uow, self.clock, self.port, self.channel = uow, clock, port, channel

    def __call__(self, reason: str) -> None:
        """The circuit breaker's ``on_open``."""
        self.send(reason)

    def send(self, reason: str) -> bool:
        """Post the alert unless this hour's was posted already; True when this call posted it."""
        now = self.clock.now()
        hour = now.strftime("%Y-%m-%dT%H")
        text = (
            f":warning: The LLM is unavailable — {reason}. Intake goes on with the built-in rules engine; "
            "nothing is lost."
        )
        result = send_once(
            self.uow,
            lambda: claimed(self.uow, LLM_OUTAGE, self.channel, hour, now),
            lambda: self.port.post(self.channel, text),
            "llm outage alert",
            period=hour,
        )
        return result is Sent.SENT
