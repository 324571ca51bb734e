"""The composition root: settings → database, catalog, engines, conversation. Built once per process."""

from __future__ import annotations

from dataclasses import dataclass

from bot.analysis.breaker import CircuitBreaker
from bot.analysis.llm import LLMEngine
from bot.analysis.rules.engine import RulesEngine
from bot.analysis.analyzer import Analyzer
from bot.briefs.catalog import Catalog, load_catalog
from bot.platform.clock import Clock, SystemClock
from bot.intake.conversation import Conversation
from bot.platform.metrics import Metrics
from bot.platform.settings import Settings
from bot.team.roster import load_roster, sync_roster
from storage.db import Database


@dataclass
class Services:
    """Everything the surfaces (CLI, console, Slack) need."""

    settings: Settings
    clock: Clock
    catalog: Catalog
    db: Database
    analyzer: Analyzer
    conversation: Conversation
    metrics: Metrics


def build_analyzer(settings: Settings, catalog: Catalog, engine: str = "auto", clock: Clock | None = None) -> Analyzer:
    """The analyzer for ``engine``: ``rules``, ``llm`` (needs OPENAI_API_KEY) or ``auto``.

    An LLM gets a circuit breaker timed by ``clock``; set ``analyzer.breaker.on_open`` to hear of outages.
    """
    if engine == "llm":
        settings.require("OPENAI_API_KEY")
    llm = LLMEngine.from_settings(settings) if engine in ("auto", "llm") else None
    breaker = CircuitBreaker(clock or SystemClock()) if llm is not None else None
    return Analyzer(catalog=catalog, rules=RulesEngine(), llm=llm, breaker=breaker)


def build_services(settings: Settings, clock: Clock | None = None, db: Database | None = None) -> Services:
    """Wire the app; a database built here gets its pending migrations applied."""
    clock = clock or SystemClock()
    catalog = load_catalog(settings.catalog_file)
    if db is None:
        db = Database(settings.database_url)
        db.upgrade()
    if settings.team_file is not None:
        sync_roster(db, load_roster(settings.team_file, catalog))
    analyzer = build_analyzer(settings, catalog, clock=clock)
    metrics = Metrics(db)
    analyzer.on_call = metrics.record_llm
    return Services(settings=settings, clock=clock, catalog=catalog, db=db, analyzer=analyzer,
                    conversation=Conversation(db, analyzer, catalog, clock), metrics=metrics)
