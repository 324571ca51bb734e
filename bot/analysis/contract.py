"""What an engine is given and what it proposes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from pydantic import BaseModel, Field

from bot.analysis.dates import DeadlineNote
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief


@dataclass(frozen=True)
class AnalysisContext:
    """Everything an engine may use besides the requester's text."""

    today: date
    timezone: str
    catalog: Catalog
    draft: Brief = field(default_factory=Brief)
    #: The field the bot asked for last, so a bare answer ("marketing managers in DACH") lands there.
    expecting: str | None = None


class Usage(BaseModel):
    """Accounting for one engine call."""

    engine: str
    model: str | None = None
    latency_ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Extraction(BaseModel):
    """An engine's proposal: the fields this message states (a partial brief) and the call's usage."""

    update: Brief
    usage: Usage
    #: Fields the message explicitly clears or negates ("not Instagram") — removed before merging.
    cleared: list[str] = Field(default_factory=list)
    #: Set when the LLM failed and the rules engine answered instead: why.
    fallback_reason: str | None = None
    #: A deadline said as no working day ("asap", "Q2", a Saturday), for the conversation to offer one.
    deadline_note: DeadlineNote | None = None


class Engine(Protocol):
    """An analysis engine proposes; code in ``assess`` decides."""

    name: str

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction: ...


class LLMFailure(Exception):
    """The LLM call did not give a usable answer; ``reason`` is a short tag (timeout, http_429, refusal…)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
