"""The LLM circuit breaker: unit behaviour on a fixed clock, and end to end with the real LLM engine."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fakes.openai_server import FakeOpenAI, empty, full_answer, reply, status

from bootstrap import build_analyzer
from bot.analysis.analyzer import Analyzer
from bot.analysis.breaker import BreakerState, CircuitBreaker
from bot.analysis.contract import AnalysisContext, Extraction, LLMFailure, Usage
from bot.analysis.llm import LLMEngine
from bot.analysis.rules.engine import RulesEngine
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming
from bot.platform.clock import FixedClock
from bot.platform.settings import load_settings
from storage.db import Database

COOLDOWN = timedelta(minutes=5)


@pytest.fixture
def opened() -> list[str]:
    """Reasons passed to ``on_open``."""
    return []


@pytest.fixture
def breaker(clock: FixedClock, opened: list[str]) -> CircuitBreaker:
    return CircuitBreaker(
        clock, failure_threshold=3, window=timedelta(minutes=2), cooldown=COOLDOWN, on_open=opened.append
    )


def fail(breaker: CircuitBreaker, times: int, reason: str = "http_500") -> None:
    for _ in range(times):
        assert breaker.allow()
        breaker.record_failure(reason)


def open_breaker(breaker: CircuitBreaker) -> None:
    fail(breaker, breaker.failure_threshold)
    assert breaker.state is BreakerState.OPEN


# --- the state machine ---------------------------------------------------------------------------


def test_stays_closed_below_the_threshold_and_opens_at_it(breaker: CircuitBreaker, opened: list[str]) -> None:
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED and opened == []

    fail(breaker, 1, "timeout")

    assert breaker.state is BreakerState.OPEN
    assert breaker.opened_count == 1
    assert len(opened) == 1 and "3 LLM failures within 2 min" in opened[0] and "last: timeout" in opened[0]
    assert "5 min" in opened[0]


def test_failures_older_than_the_window_do_not_count(breaker: CircuitBreaker, clock: FixedClock) -> None:
    fail(breaker, 2)
    clock.advance(timedelta(minutes=2, seconds=1))
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED

    fail(breaker, 1)
    assert breaker.state is BreakerState.OPEN


def test_a_success_forgets_earlier_failures(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.record_success()
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED and breaker.opened_count == 0


def test_while_open_calls_are_refused_and_counted(breaker: CircuitBreaker, clock: FixedClock) -> None:
    open_breaker(breaker)

    clock.advance(COOLDOWN - timedelta(seconds=1))
    assert [breaker.allow() for _ in range(4)] == [False] * 4

    assert breaker.short_circuited_count == 4
    assert breaker.state is BreakerState.OPEN


def test_after_the_cooldown_one_trial_goes_through_and_success_closes(
    breaker: CircuitBreaker, clock: FixedClock, opened: list[str]
) -> None:
    open_breaker(breaker)
    clock.advance(COOLDOWN)
    assert breaker.state is BreakerState.HALF_OPEN

    assert breaker.allow() is True
    assert breaker.allow() is False  # the trial is still running
    breaker.record_success()

    assert breaker.state is BreakerState.CLOSED
    assert all(breaker.allow() for _ in range(3))
    assert len(opened) == 1 and breaker.opened_count == 1


def test_a_failed_trial_reopens_for_another_cooldown_without_telling_again(
    breaker: CircuitBreaker, clock: FixedClock, opened: list[str]
) -> None:
    open_breaker(breaker)
    clock.advance(COOLDOWN + timedelta(minutes=1))
    assert breaker.allow()

    breaker.record_failure("http_503")

    assert breaker.state is BreakerState.OPEN
    clock.advance(COOLDOWN - timedelta(seconds=1))
    assert breaker.allow() is False
    clock.advance(timedelta(seconds=1))
    assert breaker.allow() is True
    assert len(opened) == 1 and breaker.opened_count == 1


def test_a_new_outage_after_recovery_is_told_again(
    breaker: CircuitBreaker, clock: FixedClock, opened: list[str]
) -> None:
    open_breaker(breaker)
    clock.advance(COOLDOWN)
    assert breaker.allow()
    breaker.record_success()

    open_breaker(breaker)

    assert len(opened) == 2 and breaker.opened_count == 2


def test_a_straggler_failing_while_open_does_not_extend_the_cooldown(
    breaker: CircuitBreaker, clock: FixedClock
) -> None:
    open_breaker(breaker)
    clock.advance(COOLDOWN - timedelta(minutes=1))

    breaker.record_failure("timeout")  # a call that started before the breaker opened

    clock.advance(timedelta(minutes=1))
    assert breaker.state is BreakerState.HALF_OPEN


def test_a_trial_that_never_reports_does_not_wedge_the_breaker(breaker: CircuitBreaker, clock: FixedClock) -> None:
    open_breaker(breaker)
    clock.advance(COOLDOWN)
    assert breaker.allow()

    clock.advance(COOLDOWN)

    assert breaker.allow() is True


def test_a_failing_listener_never_breaks_the_caller(clock: FixedClock) -> None:
    def explode(reason: str) -> None:
        raise RuntimeError("slack is down too")

    breaker = CircuitBreaker(clock, failure_threshold=1, on_open=explode)

    breaker.record_failure("timeout")

    assert breaker.state is BreakerState.OPEN


def test_the_threshold_must_be_positive(clock: FixedClock) -> None:
    with pytest.raises(ValueError, match="failure_threshold"):
        CircuitBreaker(clock, failure_threshold=0)


def test_concurrent_failures_open_once_and_one_trial_runs(clock: FixedClock, opened: list[str]) -> None:
    breaker = CircuitBreaker(clock, failure_threshold=5, on_open=opened.append)
    start = threading.Barrier(16)

    def hammer() -> None:
        start.wait()
        for _ in range(50):
            breaker.record_failure("http_500")

    threads = [threading.Thread(target=hammer) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 1 and breaker.opened_count == 1

    clock.advance(COOLDOWN)
    allowed: list[bool] = []
    gate = threading.Barrier(16)

    def ask() -> None:
        gate.wait()
        allowed.append(breaker.allow())

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 1


# --- through the analyzer ------------------------------------------------------------------------


class ScriptedLLM:
    """An LLM stand-in that fails with the queued reasons, then answers."""

    name = "llm"

    def __init__(self, *failures: str) -> None:
        self.failures = list(failures)
        self.calls = 0

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        self.calls += 1
        if self.failures:
            raise LLMFailure(self.failures.pop(0))
        return Extraction(update=Brief(request_type="video"), usage=Usage(engine="llm", prompt_tokens=900))


class BuggyLLM:
    """An engine that breaks its contract: a plain exception instead of LLMFailure."""

    name = "llm"

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        raise KeyError("oops")


@pytest.fixture
def ctx(catalog: Catalog) -> AnalysisContext:
    return AnalysisContext(today=date(2026, 3, 2), timezone="UTC", catalog=catalog)


def test_the_analyzer_short_circuits_to_rules_while_open(
    catalog: Catalog, ctx: AnalysisContext, breaker: CircuitBreaker
) -> None:
    llm = ScriptedLLM("http_500", "http_500", "timeout")
    analyzer = Analyzer(catalog=catalog, rules=RulesEngine(), llm=llm, breaker=breaker)

    reasons = [analyzer.extract("an email newsletter", ctx).fallback_reason for _ in range(5)]

    assert reasons == ["llm http_500", "llm http_500", "llm timeout", "llm circuit_open", "llm circuit_open"]
    assert llm.calls == 3 and breaker.short_circuited_count == 2


def test_a_contract_breaking_exception_counts_as_a_failure_and_propagates(
    catalog: Catalog, ctx: AnalysisContext, clock: FixedClock
) -> None:
    breaker = CircuitBreaker(clock, failure_threshold=1)
    analyzer = Analyzer(catalog=catalog, rules=RulesEngine(), llm=BuggyLLM(), breaker=breaker)

    with pytest.raises(KeyError):
        analyzer.extract("a video", ctx)

    assert breaker.state is BreakerState.OPEN
    assert analyzer.extract("a video", ctx).fallback_reason == "llm circuit_open"


def test_on_call_hears_every_analysis_with_its_usage_and_fallback(
    catalog: Catalog, ctx: AnalysisContext, breaker: CircuitBreaker
) -> None:
    heard: list[tuple[str, int, str | None]] = []
    analyzer = Analyzer(
        catalog=catalog,
        rules=RulesEngine(),
        llm=ScriptedLLM("http_429"),
        breaker=breaker,
        on_call=lambda usage, reason: heard.append((usage.engine, usage.prompt_tokens, reason)),
    )

    analyzer.extract("a video", ctx)
    analyzer.extract("a video", ctx)

    assert heard == [("rules", 0, "llm http_429"), ("llm", 900, None)]


def test_a_failing_on_call_hook_never_breaks_analysis(catalog: Catalog, ctx: AnalysisContext) -> None:
    def explode(usage: Usage, reason: str | None) -> None:
        raise RuntimeError("metrics are down")

    analyzer = Analyzer(catalog=catalog, rules=RulesEngine(), on_call=explode)

    assert analyzer.extract("an email newsletter", ctx).update.request_type == "email"


def test_build_analyzer_gives_an_llm_a_breaker_on_the_services_clock(catalog: Catalog, clock: FixedClock) -> None:
    with_llm = build_analyzer(load_settings(_env_file=None, openai_api_key="sk-test"), catalog, clock=clock)
    rules_only = build_analyzer(load_settings(_env_file=None, openai_api_key=None), catalog)

    assert with_llm.breaker is not None and with_llm.breaker.clock is clock
    assert with_llm.breaker.state is BreakerState.CLOSED
    assert rules_only.llm is None and rules_only.breaker is None


# --- end to end: the real LLM engine against a failing fake OpenAI -----------------------------------


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.default = status(500)
        yield fake


@pytest.fixture
def live(server: FakeOpenAI, catalog: Catalog, clock: FixedClock, opened: list[str]) -> Analyzer:
    """The real LLM engine behind the default breaker (5 failures in 2 minutes, 5 minutes' cool-down)."""
    llm = LLMEngine(api_key="sk-test", model="test-model", base_url=server.base_url, timeout_s=2.0)
    return Analyzer(catalog=catalog, rules=RulesEngine(), llm=llm, breaker=CircuitBreaker(clock, on_open=opened.append))


def test_end_to_end_outage_short_circuits_then_recovers(
    live: Analyzer, server: FakeOpenAI, ctx: AnalysisContext, clock: FixedClock, opened: list[str]
) -> None:
    for _ in range(5):
        assert live.extract("an email newsletter", ctx).fallback_reason == "llm http_500"
    assert len(server.requests) == 10 and len(opened) == 1  # each failed analysis: one attempt and one retry

    for _ in range(10):
        clock.advance(timedelta(seconds=20))
        result = live.extract("an email newsletter", ctx)
        assert result.fallback_reason == "llm circuit_open"
        assert result.usage.engine == "rules" and result.update.request_type == "email"
    assert len(server.requests) == 10  # nothing reached the fake during the cool-down

    clock.advance(timedelta(minutes=2))
    server.default = reply(full_answer(request_type="email", channels=["email"]))
    recovered = live.extract("an email newsletter", ctx)

    assert recovered.fallback_reason is None and recovered.usage.engine == "llm"
    assert live.breaker is not None and live.breaker.state is BreakerState.CLOSED
    assert live.extract("an email newsletter", ctx).usage.engine == "llm"
    assert len(server.requests) == 12 and len(opened) == 1


def test_end_to_end_failed_trial_waits_another_cooldown(
    live: Analyzer, server: FakeOpenAI, ctx: AnalysisContext, clock: FixedClock
) -> None:
    for _ in range(5):
        live.extract("a video", ctx)
    clock.advance(COOLDOWN)

    assert live.extract("a video", ctx).fallback_reason == "llm http_500"  # the trial
    assert live.extract("a video", ctx).fallback_reason == "llm circuit_open"
    assert len(server.requests) == 12  # the failed trial retried once

    clock.advance(COOLDOWN)
    server.default = empty()
    assert live.extract("a video", ctx).fallback_reason is None
    assert len(server.requests) == 13


def test_end_to_end_the_conversation_says_it_fell_back_and_goes_on(
    live: Analyzer, server: FakeOpenAI, db: Database, catalog: Catalog, clock: FixedClock
) -> None:
    convo = Conversation(db.uow, live, catalog, clock)
    replies = [convo.handle(Incoming(f"U{n}", f"D{n}", "need an email newsletter")) for n in range(7)]

    assert [r.fallback_reason for r in replies] == ["llm http_500"] * 5 + ["llm circuit_open"] * 2
    assert all(r.engine == "rules" and r.text for r in replies)
    assert len(server.requests) == 10
