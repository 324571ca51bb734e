"""The LLM engine: one structured-output Chat Completions call per message proposes what the message changes.

The model answers with a delta (the fields this message sets or changes, null or [] elsewhere, ``cleared`` for
the fields it removes) and ``merge.apply`` merges it into the draft. Draft values are shown to the model cut
(``MAX_DRAFT_VALUE_CHARS``, ``MAX_DRAFT_LIST_ITEMS``), so ``kept_changes`` drops any returned value that comes
from what the model was shown rather than from the message: a cut view never replaces a stored value.
"""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import date
from pathlib import Path
from string import Template
from typing import Any

import openai
import pydantic
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel

from bot.analysis.contract import AnalysisContext, Extraction, LLMFailure, Usage
from bot.analysis.llm_draft import kept_changes, shown
from bot.analysis.llm_schema import PROPOSED_FIELDS, response_format, response_model, schema_key
from bot.briefs.catalog import Catalog
from bot.briefs.model import Brief
from bot.platform.settings import (
    DEFAULT_OPENAI_MAX_COMPLETION_TOKENS,
    DEFAULT_OPENAI_TIMEOUT_S,
    REASONING_SETTINGS,
    Settings,
)

log = logging.getLogger(__name__)

DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
SYSTEM_PROMPT = "analyze_system.md"
USER_PROMPT = "analyze_user.md"
#: Any opening of a <request>/</request> tag inside requester text, however spaced or cased.
_TAG_OPENING = re.compile(r"<(?=\s*/?\s*request)", re.IGNORECASE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Requester text beyond this is not sent (a brief never needs more; it bounds the prompt at ~2,000 tokens).
MAX_TEXT_CHARS = 2500
#: The effort sent to a reasoning model when OPENAI_REASONING_EFFORT is unset.
DEFAULT_REASONING_EFFORT = "low"
#: Models that take ``reasoning_effort``, by name: OpenAI's o-series (o1, o3, o3-mini, o4-mini…, but not the
#: early o1-mini and o1-preview, which reject it), gpt-5 and later (gpt-5, gpt-5-mini, gpt-5.1…, but not the
#: ``-chat`` variants, which are not reasoning models) and gpt-oss. The rule reads the lowercase name after any
#: provider or path prefix ("openai/gpt-oss-20b" on vLLM, "gpt-oss:20b" on Ollama). An Azure deployment whose
#: name does not say the model needs OPENAI_REASONING_EFFORT set to a level.
_REASONING_MODEL = re.compile(r"^(?:o1(?!-mini|-preview)|o[3-9]|gpt-(?:[5-9]|[1-9]\d)(?!.*-chat)|gpt-oss)(?![a-z])")
#: A retry is worth trying only with at least this much of the budget left.
MIN_RETRY_S = 1.0
#: Retries after a connection error or a 5xx (never after a 4xx, a timeout, a refusal or invalid output).
MAX_RETRIES = 1


def neutralise(text: str) -> str:
    """Requester text that cannot open or close the ``<request>`` delimiters (nor carry lone surrogates)."""
    return _TAG_OPENING.sub("‹", _SURROGATE.sub("", text))


def is_reasoning_model(model: str) -> bool:
    """Whether ``model`` takes ``reasoning_effort`` (see ``_REASONING_MODEL`` for the rule)."""
    return _REASONING_MODEL.match(model.strip().lower().rsplit("/", 1)[-1]) is not None


def reasoning_effort_for(model: str, setting: str | None) -> str | None:
    """The ``reasoning_effort`` to send, or None to send none.

    Unset: ``low`` for a reasoning model, nothing for others; ``none``: never; a level: sent as given.
    """
    if setting == "none":
        return None
    if setting:
        return setting
    return DEFAULT_REASONING_EFFORT if is_reasoning_model(model) else None


def load_template(path: Path, placeholders: set[str]) -> Template:
    """A prompt template, checked at start so a broken edit fails loudly rather than on every call."""
    template = Template(path.read_text(encoding="utf-8"))
    if not template.is_valid() or set(template.get_identifiers()) != placeholders:
        raise ValueError(f"{path}: expected exactly the placeholders ${', $'.join(sorted(placeholders))}")
    return template


def iso_date(value: str | None) -> date | None:
    """A YYYY-MM-DD date, or None when absent or invalid (a bad date is not a failure)."""
    try:
        return date.fromisoformat(value.strip()) if value else None
    except ValueError:
        return None


def retryable(exc: Exception) -> bool:
    """A connection error or a 5xx: worth one more attempt. A timeout (it used the budget) or a 4xx is not."""
    if isinstance(exc, openai.APITimeoutError):
        return False
    if isinstance(exc, openai.APIConnectionError):
        return True
    return isinstance(exc, openai.APIStatusError) and exc.status_code >= 500


def failure_reason(exc: Exception) -> str:
    """The short reason tag of a failed call."""
    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.APIStatusError):
        return f"http_{exc.status_code}"
    if isinstance(exc, openai.ContentFilterFinishReasonError):
        return "refusal"
    invalid = (
        openai.LengthFinishReasonError,
        openai.APIResponseValidationError,
        pydantic.ValidationError,
        json.JSONDecodeError,
    )
    return "invalid_output" if isinstance(exc, invalid) else "error"


def parsed_answer(completion: Any, schema: type[BaseModel]) -> BaseModel:
    """The answer parsed into ``schema``, or LLMFailure for a refusal, a cut or an empty or malformed answer."""
    if not completion.choices:
        raise LLMFailure("invalid_output")
    choice = completion.choices[0]
    if choice.finish_reason == "content_filter" or choice.message.refusal:
        raise LLMFailure("refusal")
    if choice.finish_reason == "length" or not choice.message.content:
        raise LLMFailure("invalid_output")
    try:
        return schema.model_validate_json(choice.message.content)
    except pydantic.ValidationError:
        raise LLMFailure("invalid_output") from None


def to_extraction(parsed: BaseModel, usage: Usage) -> Extraction:
    """Map the model's answer to a partial brief plus the fields it cleared."""
    data = parsed.model_dump()
    by_key = {schema_key(name): name for name in PROPOSED_FIELDS}
    cleared = [by_key[key] for key in dict.fromkeys(data.pop("cleared")) if key in by_key]
    fields = {by_key[key]: value for key, value in data.items()}
    fields["deadline"] = iso_date(fields["deadline"])
    return Extraction(update=Brief.model_validate(fields), usage=usage, cleared=cleared)


class LLMEngine:
    """Proposes what a message changes with one OpenAI(-compatible) structured-output call.

    ``timeout_s`` is the whole budget of one analysis: one retry after a connection error or a 5xx when at
    least ``MIN_RETRY_S`` of it is left, the second attempt getting only what is left. ``reasoning_effort``
    is an OPENAI_REASONING_EFFORT value (None: ``low`` for reasoning models only; ``none``: never sent).
    """

    name = "llm"

    def __init__(
        self,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float = DEFAULT_OPENAI_TIMEOUT_S,
        prompts_dir: Path = DEFAULT_PROMPTS_DIR,
        reasoning_effort: str | None = None,
        max_completion_tokens: int = DEFAULT_OPENAI_MAX_COMPLETION_TOKENS,
    ) -> None:
        if reasoning_effort is not None and reasoning_effort not in REASONING_SETTINGS:
            raise ValueError(f"reasoning_effort: expected one of {', '.join(REASONING_SETTINGS)}")
        if timeout_s <= 0 or max_completion_tokens <= 0:
            raise ValueError("timeout_s and max_completion_tokens must be positive")
        self.model = model
        self.timeout_s = timeout_s
        self.reasoning_effort = reasoning_effort_for(model, reasoning_effort)
        self.max_completion_tokens = max_completion_tokens
        self._client = openai.OpenAI(api_key=api_key, base_url=base_url, timeout=timeout_s, max_retries=0)
        self._system = load_template(prompts_dir / SYSTEM_PROMPT, {"request_types", "channels", "common_required"})
        self._user = load_template(prompts_dir / USER_PROMPT, {"today", "timezone", "expecting", "draft", "text"})

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMEngine | None:
        """The engine configured by OPENAI_* settings, or None when no API key is set."""
        if not settings.llm_enabled or settings.openai_api_key is None:
            return None
        return cls(
            api_key=settings.openai_api_key.get_secret_value(),
            model=settings.openai_model,
            base_url=settings.openai_base_url,
            timeout_s=settings.openai_timeout_s,
            reasoning_effort=settings.openai_reasoning_effort,
            max_completion_tokens=settings.openai_max_completion_tokens,
        )

    def system_prompt(self, catalog: Catalog) -> str:
        """Instructions plus the catalog: stable per deployment, so a cacheable prefix."""
        types = "\n".join(
            f"- {name}: {kind.description} | {', '.join(map(schema_key, kind.required)) or '-'}"
            f" | {kind.lead_time_days}d"
            for name, kind in catalog.request_types.items()
        )
        channels = "\n".join(f"- {name}: {what}" for name, what in catalog.channels.items())
        return self._system.substitute(
            request_types=types, channels=channels, common_required=", ".join(map(schema_key, catalog.common_required))
        )

    def user_prompt(self, text: str, ctx: AnalysisContext) -> str:
        """Context, the current draft and the requester's text inside the delimiters."""
        draft = {schema_key(name): shown(value) for name, value in ctx.draft.known().items() if name != "title"}
        return self._user.substitute(
            today=f"{ctx.today.isoformat()} ({ctx.today:%A})",
            timezone=ctx.timezone,
            expecting=schema_key(ctx.expecting) if ctx.expecting else "nothing",
            draft=neutralise(json.dumps(draft, ensure_ascii=False, separators=(",", ":"))),
            text=neutralise(text.strip()[:MAX_TEXT_CHARS]),
        )

    def messages(self, text: str, ctx: AnalysisContext) -> list[ChatCompletionMessageParam]:
        """The chat messages of one call."""
        return [
            {"role": "system", "content": self.system_prompt(ctx.catalog)},
            {"role": "user", "content": self.user_prompt(text, ctx)},
        ]

    def request_options(self) -> dict[str, Any]:
        """The model parameters of every call: the completion cap, and the reasoning effort when one is sent."""
        options: dict[str, Any] = {"max_completion_tokens": self.max_completion_tokens}
        if self.reasoning_effort is not None:
            options["reasoning_effort"] = self.reasoning_effort
        return options

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        """One analysis; any failure raises LLMFailure with a short reason, never a client exception."""
        catalog = (tuple(ctx.catalog.type_names), tuple(ctx.catalog.channel_names))
        schema, answer_format = response_model(*catalog), response_format(*catalog)
        messages = self.messages(text, ctx)
        started = time.perf_counter()
        completion = None
        attempts = 0
        try:
            while True:
                attempts += 1
                left = self.timeout_s - (time.perf_counter() - started)
                try:
                    completion = self._client.chat.completions.create(
                        model=self.model,
                        messages=messages,
                        # as a raw body field: the SDK would walk the whole schema on every call (~2 ms of CPU)
                        extra_body={"response_format": answer_format},
                        timeout=left,
                        **self.request_options(),
                    )
                    break
                except Exception as exc:
                    left = self.timeout_s - (time.perf_counter() - started)
                    if attempts > MAX_RETRIES or not retryable(exc) or left < MIN_RETRY_S:
                        raise
            extraction = to_extraction(parsed_answer(completion, schema), self._usage(completion, started))
            extraction = extraction.model_copy(update={"update": kept_changes(extraction.update, ctx.draft)})
        except Exception as exc:  # SPEC 7: any LLM failure, whatever it is, falls back to rules
            reason = exc.reason if isinstance(exc, LLMFailure) else failure_reason(exc)
            self._log(self._usage(completion, started), reason, attempts, type(exc).__name__)
            raise LLMFailure(reason) from None
        self._log(extraction.usage, "ok", attempts)
        return extraction

    def _usage(self, completion: Any, started: float) -> Usage:
        """Latency so far and the tokens the endpoint reported (zero when unknown)."""
        usage = getattr(completion, "usage", None)
        return Usage(
            engine=self.name,
            model=self.model,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
        )

    def _log(self, usage: Usage, outcome: str, attempts: int, error: str | None = None) -> None:
        """One structured line per analysis; never the key, the prompt or the requester's text."""
        extra = {
            "model": usage.model,
            "latency_ms": usage.latency_ms,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "attempts": attempts,
            "outcome": outcome,
        }
        if error:
            extra["error"] = error
        log.log(logging.INFO if outcome == "ok" else logging.WARNING, "llm call", extra=extra)
