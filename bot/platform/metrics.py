"""Counters an operator graphs (SPEC 7), exposed at ``GET /metrics`` in Prometheus text format.

One ``Metrics`` per process (built with the services), each with its own ``CollectorRegistry`` rather than
prometheus_client's global one: several apps in one process (the test suite, benchmarks) never collide and
nothing needs resetting. HTTP mode runs one gunicorn worker, so one registry holds the whole picture.

Request counts by status are not counted as they change: they are read from the database at scrape time
with one grouped query, so they are right whichever instance changed them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

#: The classic Prometheus text exposition format, which ``render`` produces.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PREFIX = "creative_intake"
LLM_LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
ACK_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
_UNSAFE_LABEL = re.compile(r"[^A-Za-z0-9_.]+")
_MAX_LABEL = 48


def label(value: object) -> str:
    """A bounded, tidy label value: ``[A-Za-z0-9_.]``, at most 48 characters, never empty."""
    text = _UNSAFE_LABEL.sub("_", str(value)).strip("_")
    return text[:_MAX_LABEL] or "unknown"


#: Requests per status, or None when the database cannot answer.
StatusCounts = Callable[[], "dict[str, int] | None"]


class LLMUsage(Protocol):
    """What one analysis reports about the engine call behind it."""

    @property
    def engine(self) -> str: ...
    @property
    def latency_ms(self) -> float: ...
    @property
    def prompt_tokens(self) -> int: ...
    @property
    def completion_tokens(self) -> int: ...


class RequestsByStatus(Collector):
    """``creative_intake_requests{status}`` and ``creative_intake_database_up``, read at scrape time."""

    def __init__(self, counts: StatusCounts, statuses: Iterable[str]) -> None:
        self.counts = counts
        self.statuses = tuple(str(s) for s in statuses)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """One grouped count; known statuses with no request report 0. An unreachable database reports
        ``database_up 0`` and no counts rather than failing the scrape."""
        up = GaugeMetricFamily(f"{PREFIX}_database_up", "Whether the last scrape could query the database.")
        counts = self.counts()
        if counts is None:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        requests = GaugeMetricFamily(
            f"{PREFIX}_requests", "Creative requests in the database, by status.", labels=["status"]
        )
        for status in dict.fromkeys((*self.statuses, *sorted(counts))):
            requests.add_metric([status], counts.get(status, 0))
        yield requests


class Metrics:
    """This process's counters and histograms, plus the database-backed request gauge when given a db."""

    def __init__(self, counts: StatusCounts | None = None, statuses: Iterable[str] = ()) -> None:
        self.registry = CollectorRegistry()
        reg = self.registry
        self.analyses = Counter(
            f"{PREFIX}_analyses", "Requester messages analysed, by the engine that answered.", ["engine"], registry=reg
        )
        self.llm_calls = Counter(
            f"{PREFIX}_llm_calls", "LLM calls made, by outcome (ok or the failure reason).", ["outcome"], registry=reg
        )
        self.llm_latency = Histogram(
            f"{PREFIX}_llm_latency_seconds",
            "Latency of successful LLM calls.",
            buckets=LLM_LATENCY_BUCKETS,
            registry=reg,
        )
        self.prompt_tokens = Counter(
            f"{PREFIX}_llm_prompt_tokens", "Prompt tokens of successful LLM calls.", registry=reg
        )
        self.completion_tokens = Counter(
            f"{PREFIX}_llm_completion_tokens", "Completion tokens of successful LLM calls.", registry=reg
        )
        self.fallbacks = Counter(
            f"{PREFIX}_rules_fallbacks",
            "Analyses the rules engine answered because the LLM failed or was skipped.",
            ["reason"],
            registry=reg,
        )
        self.slack_errors = Counter(
            f"{PREFIX}_slack_api_errors", "Slack Web API calls that failed.", ["method", "error"], registry=reg
        )
        self.events = Counter(f"{PREFIX}_slack_events", "Slack deliveries handled, by type.", ["type"], registry=reg)
        self.duplicates = Counter(
            f"{PREFIX}_slack_duplicate_deliveries",
            "Slack retries and duplicate deliveries dropped, by type.",
            ["type"],
            registry=reg,
        )
        self.http_latency = Histogram(
            f"{PREFIX}_http_request_duration_seconds",
            "Time to answer an HTTP request (for /slack/events: the ack).",
            ["path", "code"],
            buckets=ACK_LATENCY_BUCKETS,
            registry=reg,
        )
        if counts is not None:
            reg.register(RequestsByStatus(counts, statuses))

    def record_llm(self, usage: LLMUsage, fallback_reason: str | None) -> None:
        """One analysis (the Analyzer's ``on_call`` hook): the answering engine's usage, and why the LLM
        was not used when it fell back (``"llm timeout"``…). ``circuit_open`` is a fallback, not a call."""
        self.analyses.labels(label(usage.engine)).inc()
        if fallback_reason:
            reason = label(fallback_reason.removeprefix("llm ").strip())
            self.fallbacks.labels(reason).inc()
            if reason != "circuit_open":
                self.llm_calls.labels(reason).inc()
            return
        if usage.engine != "llm":
            return
        self.llm_calls.labels("ok").inc()
        self.llm_latency.observe(usage.latency_ms / 1000)
        self.prompt_tokens.inc(usage.prompt_tokens)
        self.completion_tokens.inc(usage.completion_tokens)

    def record_slack_error(self, method: str, error: str | None) -> None:
        """A failed Slack Web API call (``chat.postMessage``, ``ratelimited``…)."""
        self.slack_errors.labels(label(method), label(error or "unknown")).inc()

    def record_event(self, kind: str) -> None:
        """A Slack delivery passed on to the listeners (``kind``: its event or payload type)."""
        self.events.labels(label(kind)).inc()

    def record_duplicate(self, kind: str) -> None:
        """A Slack retry or duplicate delivery, acknowledged and dropped."""
        self.duplicates.labels(label(kind)).inc()

    def record_http(self, path: str, code: int, seconds: float) -> None:
        """One HTTP request answered (``path`` one of the served routes, or ``other``)."""
        self.http_latency.labels(path, str(code)).observe(seconds)

    def render(self) -> bytes:
        """The Prometheus text exposition of every metric (the request gauge queries the database now)."""
        return generate_latest(self.registry)
