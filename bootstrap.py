"""The composition root: settings → database, catalog, engines, domain services, Slack port. Built once per process."""

from __future__ import annotations

from bot.analysis.analyzer import Analyzer
from bot.analysis.breaker import CircuitBreaker
from bot.analysis.llm import LLMEngine
from bot.analysis.rules.engine import RulesEngine
from bot.briefs.catalog import Catalog, load_catalog
from bot.delivery.alerts import LLMOutageAlert
from bot.delivery.outbox import OutboxPort
from bot.digests.nudges import Nudges
from bot.digests.runs import Digests
from bot.intake.capture import Captures
from bot.intake.conversation import Conversation
from bot.intake.flows import IntakeFlows
from bot.platform.clock import Clock, SystemClock
from bot.platform.i18n import load_all
from bot.platform.logs import settings_secrets
from bot.platform.metrics import Metrics
from bot.platform.settings import Settings
from bot.reporting.weekly import WeeklyReport
from bot.requests.changes import ChangeEngine
from bot.requests.home import Homes
from bot.requests.lifecycle import Status
from bot.services import Services
from bot.team.directory import Directory
from bot.team.roster import load_roster, sync_roster
from bot.triage.card import TriageCards
from bot.triage.service import Triage
from handlers.slack_port import quick_port, slack_port
from storage.db import Database, Timeouts, url_password


def build_analyzer(
    settings: Settings,
    catalog: Catalog,
    engine: str = "auto",
    clock: Clock | None = None,
    metrics: Metrics | None = None,
    alert: LLMOutageAlert | None = None,
) -> Analyzer:
    """The analyzer for ``engine``: ``rules``, ``llm`` (needs OPENAI_API_KEY) or ``auto``.

    An LLM gets a circuit breaker timed by ``clock`` whose openings go to ``alert``.
    """
    if engine == "llm":
        settings.require("OPENAI_API_KEY")
    llm = LLMEngine.from_settings(settings) if engine in ("auto", "llm") else None
    breaker = CircuitBreaker(clock or SystemClock(), on_open=alert) if llm is not None else None
    return Analyzer(
        catalog=catalog, rules=RulesEngine(), llm=llm, breaker=breaker, on_call=metrics.record_llm if metrics else None
    )


def build_services(settings: Settings, clock: Clock | None = None, db: Database | None = None) -> Services:
    """Wire the app; a database built here gets its pending migrations applied."""
    clock = clock or SystemClock()
    catalog = load_catalog(settings.catalog_file)
    load_all()  # the message catalogs: a broken one fails the start, not a conversation
    if db is None:
        db = Database(settings.database_url, database_timeouts(settings), pool_size=settings.worker_threads + 4)
        db.upgrade()
    uow = db.uow
    if settings.team_file is not None:
        sync_roster(uow, load_roster(settings.team_file, catalog))
    metrics = Metrics(db.status_counts, tuple(Status))
    slack = slack_port(settings, clock, metrics, catalog) if settings.slack_bot_token is not None else None
    chat = OutboxPort(slack, uow, clock, reads=quick_port(slack)) if slack is not None else None
    alert = (
        LLMOutageAlert(uow, clock, chat, settings.ops_channel_id)
        if chat is not None and settings.ops_channel_id
        else None
    )
    analyzer = build_analyzer(settings, catalog, clock=clock, metrics=metrics, alert=alert)
    directory, homes = Directory(uow), Homes(uow, clock)
    conversation = Conversation(uow, analyzer, catalog, clock)
    changes = ChangeEngine(uow, clock, catalog, analyzer, settings.timezone)
    cards = TriageCards(uow, catalog, settings.ops_channel_id)
    triage = Triage(uow, changes, cards, homes, directory)
    intake = IntakeFlows(conversation, triage, cards, homes, catalog)
    return Services(
        settings=settings,
        clock=clock,
        catalog=catalog,
        db=db,
        uow=uow,
        metrics=metrics,
        analyzer=analyzer,
        directory=directory,
        conversation=conversation,
        changes=changes,
        cards=cards,
        homes=homes,
        triage=triage,
        intake=intake,
        captures=Captures(uow, conversation, intake),
        digests=Digests(uow, clock, catalog, settings.timezone, settings.digest_time, settings.ops_channel_id),
        nudges=Nudges(uow, clock, settings.timezone),
        report=WeeklyReport(uow, clock, settings.timezone, settings.digest_time, settings.ops_channel_id),
        chat=chat,
    )


def database_timeouts(settings: Settings) -> Timeouts:
    """The database timeouts the settings ask for."""
    return Timeouts(
        connect=settings.database_connect_timeout_s,
        statement=settings.database_statement_timeout_s,
        pool=settings.database_pool_timeout_s,
    )


def log_secrets(settings: Settings) -> list[str]:
    """Every secret a log line must never show: the settings' secrets and the database password."""
    return settings_secrets(settings, url_password(settings.database_url))
