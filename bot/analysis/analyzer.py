"""Choose the engine and fall back to rules on any LLM failure, behind a circuit breaker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from bot.analysis.breaker import CircuitBreaker
from bot.analysis.contract import AnalysisContext, Engine, Extraction, LLMFailure, Usage
from bot.analysis.merge import apply
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief

log = logging.getLogger(__name__)

#: Called once per analysis with the answering engine's usage and the fallback reason (None: no fallback).
CallHook = Callable[[Usage, str | None], None]


@dataclass
class Analyzer:
    """One analysis per requester message: the LLM when configured, the rules engine otherwise or on failure.

    With a ``breaker``, an LLM that keeps failing is skipped for its cool-down: rules answer at once and
    the result says ``llm circuit_open``.
    """

    catalog: Catalog
    rules: Engine
    llm: Engine | None = None
    breaker: CircuitBreaker | None = None
    on_call: CallHook | None = None

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        """An extraction from the preferred engine, or from rules with the failure recorded."""
        result = self._extract(text, ctx)
        if self.on_call is not None:
            try:
                self.on_call(result.usage, result.fallback_reason)
            except Exception:
                log.exception("analysis on_call hook failed")
        return result

    def _extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        if self.llm is not None:
            try:
                return self._call_llm(self.llm, text, ctx)
            except LLMFailure as failure:
                level = logging.INFO if failure.reason == "circuit_open" else logging.WARNING
                log.log(level, "llm fallback", extra={"reason": failure.reason})
                result = self.rules.extract(text, ctx)
                return result.model_copy(update={"fallback_reason": f"llm {failure.reason}"})
        return self.rules.extract(text, ctx)

    def _call_llm(self, llm: Engine, text: str, ctx: AnalysisContext) -> Extraction:
        """One LLM call through the breaker; LLMFailure("circuit_open") when the breaker refuses it."""
        if self.breaker is None:
            return llm.extract(text, ctx)
        if not self.breaker.allow():
            raise LLMFailure("circuit_open")
        try:
            result = llm.extract(text, ctx)
        except LLMFailure as failure:
            self.breaker.record_failure(failure.reason)
            raise
        except Exception:  # not an LLMFailure: an engine bug, still a failed call
            self.breaker.record_failure("error")
            raise
        self.breaker.record_success()
        return result

    def analyze(self, text: str, ctx: AnalysisContext) -> tuple[Brief, Extraction]:
        """The updated draft and the extraction that produced it."""
        extraction = self.extract(text, ctx)
        return apply(ctx.draft, extraction, self.catalog), extraction
