"""Choose the engine, fall back to rules on any LLM failure, validate what was proposed, merge."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.analysis.contract import AnalysisContext, Engine, Extraction, Usage
from bot.analysis.breaker import CircuitBreaker
from bot.briefs.model import Brief
from bot.briefs.catalog import Catalog

log = logging.getLogger(__name__)

#: Control characters (tab and newline kept) and lone surrogates: no database or Slack message takes them.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class LLMFailure(Exception):
    """The LLM call did not give a usable answer; ``reason`` is a short tag (timeout, http_429, refusal…)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _storable(value: Any) -> Any:
    """A proposed value without unstorable characters (an emptied string becomes None)."""
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, str):
        return _UNSTORABLE.sub("", value).strip() or None
    return value


def validated(update: Brief, catalog: Catalog) -> Brief:
    """Drop proposed values that are not in the catalog, or not storable: the engine proposes, code decides."""
    data = {name: _storable(value) for name, value in update.model_dump(mode="json").items()}
    if data["request_type"] not in catalog.request_types:
        data["request_type"] = None
    data["channels"] = [c for c in dict.fromkeys(data["channels"]) if c in catalog.channels]
    for name in ("platforms", "formats", "markets", "assets"):
        data[name] = [v for v in dict.fromkeys(str(x).strip() for x in data[name] if x is not None) if v]
    data["title"] = None  # always derived, never taken from an engine
    return Brief.model_validate(data)


def derive_title(brief: Brief, catalog: Catalog) -> str | None:
    """A short title from what the brief says (SPEC: derived, never asked for)."""
    if not brief.request_type:
        return None
    kind = brief.request_type.replace("_", " ").capitalize()
    subject = brief.campaign or brief.objective or ", ".join(brief.platforms or brief.channels)
    title = f"{kind}: {subject}" if subject else kind
    return title if len(title) <= 80 else title[:79].rstrip() + "…"


def apply(draft: Brief, extraction: Extraction, catalog: Catalog) -> Brief:
    """The draft after this message: cleared fields removed, proposed fields validated and merged."""
    brief = draft.without(*extraction.cleared).merged(validated(extraction.update, catalog))
    return brief.model_copy(update={"title": derive_title(brief, catalog)})


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
