"""Operational alerts to the ops channel, once per outage across every running instance."""

from __future__ import annotations

from bot.delivery.ports import ChatPort
from bootstrap import Services
from storage.repositories import claim_send


def llm_outage(services: Services, port: ChatPort, reason: str) -> bool:
    """Tell ops the LLM is down and intake continues on rules; once per hour whatever the instance count."""
    channel = services.settings.ops_channel_id
    if not channel:
        return False
    now = services.clock.now()
    with services.db.session() as session:
        first = claim_send(session, "llm_outage", channel, now.strftime("%Y-%m-%dT%H"), now)
    if first:
        port.post(channel, f":warning: The LLM is unavailable — {reason}. Intake goes on with the built-in rules "
                  "engine; nothing is lost.")
    return first


def watch_llm(services: Services, port: ChatPort) -> None:
    """Route the analyzer's circuit-breaker openings to ``llm_outage``."""
    breaker = services.analyzer.breaker
    if breaker is not None:
        breaker.on_open = lambda reason: llm_outage(services, port, reason) and None
