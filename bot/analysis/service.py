"""Choose the engine, fall back to rules on any LLM failure, validate what was proposed, merge."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.analysis.base import AnalysisContext, Engine, Extraction
from bot.brief import Brief
from bot.catalog import Catalog

log = logging.getLogger(__name__)


class LLMFailure(Exception):
    """The LLM call did not give a usable answer; ``reason`` is a short tag (timeout, http_429, refusal…)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def validated(update: Brief, catalog: Catalog) -> Brief:
    """Drop proposed values that are not in the catalog: the engine proposes, code decides."""
    data = update.model_dump(mode="json")
    if data["request_type"] not in catalog.request_types:
        data["request_type"] = None
    data["channels"] = [c for c in dict.fromkeys(data["channels"]) if c in catalog.channels]
    for name in ("platforms", "formats", "markets", "assets"):
        data[name] = [v for v in dict.fromkeys(str(x).strip() for x in data[name]) if v]
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


@dataclass
class Analyzer:
    """One analysis per requester message: the LLM when configured, the rules engine otherwise or on failure."""

    catalog: Catalog
    rules: Engine
    llm: Engine | None = None

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        """An extraction from the preferred engine, or from rules with the failure recorded."""
        if self.llm is not None:
            try:
                return self.llm.extract(text, ctx)
            except LLMFailure as failure:
                log.warning("llm fallback", extra={"reason": failure.reason})
                result = self.rules.extract(text, ctx)
                return result.model_copy(update={"fallback_reason": f"llm {failure.reason}"})
        return self.rules.extract(text, ctx)

    def analyze(self, text: str, ctx: AnalysisContext) -> tuple[Brief, Extraction]:
        """The updated draft and the extraction that produced it."""
        extraction = self.extract(text, ctx)
        return apply(ctx.draft, extraction, self.catalog), extraction
