"""Everything the surfaces (command line, console, Slack, scheduler) use, built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.analyzer import Analyzer
from bot.briefs.catalog import Catalog
from bot.delivery.outbox import OutboxPort
from bot.digests.nudges import Nudges
from bot.digests.runs import Digests
from bot.intake.capture import Captures
from bot.intake.conversation import Conversation
from bot.intake.flows import IntakeFlows
from bot.platform.clock import Clock
from bot.platform.metrics import Metrics
from bot.platform.settings import Settings
from bot.reporting.weekly import WeeklyReport
from bot.requests.changes import ChangeEngine
from bot.requests.home import Homes
from bot.team.directory import Directory
from bot.triage.card import TriageCards
from bot.triage.service import Triage
from storage.db import Database
from storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Services:
    """The process's objects; ``chat`` is the port to Slack (through the outbox) when a bot token is set."""

    settings: Settings
    clock: Clock
    catalog: Catalog
    db: Database
    uow: UnitOfWorkFactory
    metrics: Metrics
    analyzer: Analyzer
    directory: Directory
    conversation: Conversation
    changes: ChangeEngine
    cards: TriageCards
    homes: Homes
    triage: Triage
    intake: IntakeFlows
    captures: Captures
    digests: Digests
    nudges: Nudges
    report: WeeklyReport
    chat: OutboxPort | None
