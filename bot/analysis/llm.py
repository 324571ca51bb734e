"""The LLM engine: one structured-output Chat Completions call per message proposes the updated brief."""

from __future__ import annotations

import json
import logging
import re
import time
from datetime import date
from functools import lru_cache
from pathlib import Path
from string import Template
from typing import Annotated, Any

import openai
import pydantic
from openai.types.chat import ChatCompletionMessageParam
from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema, create_model

from bot.analysis.contract import AnalysisContext, Extraction, LLMFailure, Usage
from bot.briefs.catalog import Catalog
from bot.briefs.model import FIELD_NAMES, LIST_FIELDS, Brief
from bot.platform.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
SYSTEM_PROMPT = "analyze_system.md"
USER_PROMPT = "analyze_user.md"
#: Brief fields the LLM proposes (``title`` is derived by code), by SPEC name.
PROPOSED_FIELDS: tuple[str, ...] = tuple(name for name in FIELD_NAMES if name != "title")
#: Any opening of a <request>/</request> tag inside requester text, however spaced or cased.
_TAG_OPENING = re.compile(r"<(?=\s*/?\s*request)", re.IGNORECASE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Requester text beyond this is not sent (a brief never needs more; it bounds the prompt at ~2,000 tokens).
MAX_TEXT_CHARS = 2500
#: Each draft value is shown to the model at most this long.
MAX_DRAFT_VALUE_CHARS = 200


def schema_key(name: str) -> str:
    """The response-schema key of a SPEC field (``copy`` is a reserved name in pydantic)."""
    return "copy_text" if name == "copy" else name


def _none_to_empty(value: Any) -> Any:
    """Lenient with non-strict endpoints: null where a list belongs means empty."""
    return [] if value is None else value


def _drop_titles(schema: dict[str, Any]) -> None:
    """Property titles only cost prompt tokens."""
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


#: A nullable string, in the compact form strict structured outputs accept.
_NullableStr = Annotated[str | None, WithJsonSchema({"type": ["string", "null"]})]


def _enum_list(values: tuple[str, ...]) -> Any:
    """A list of strings whose schema enumerates ``values``; validation stays lenient (code validates)."""
    schema = {"type": "array", "items": {"type": "string", "enum": list(values)}}
    return Annotated[list[str], BeforeValidator(_none_to_empty), WithJsonSchema(schema)]


@lru_cache(maxsize=8)
def response_model(types: tuple[str, ...], channels: tuple[str, ...]) -> type[BaseModel]:
    """The strict structured-output schema for a catalog: every key required, unknowns nullable.

    Enums constrain the model where the endpoint enforces the schema, while parsing accepts any
    string so an unknown value is dropped by ``service.validated`` rather than failing the call.
    """
    nullable_type = {"anyOf": [{"type": "string", "enum": list(types)}, {"type": "null"}]}
    special: dict[str, Any] = {
        "request_type": Annotated[str | None, WithJsonSchema(nullable_type)],
        "channels": _enum_list(channels),
    }
    fields: dict[str, Any] = {}
    for name in PROPOSED_FIELDS:
        plain = Annotated[list[str], BeforeValidator(_none_to_empty)] if name in LIST_FIELDS else _NullableStr
        fields[schema_key(name)] = (special.get(name, plain), ...)
    fields["cleared"] = (_enum_list(tuple(schema_key(n) for n in PROPOSED_FIELDS)), ...)
    config = ConfigDict(coerce_numbers_to_str=True, json_schema_extra=_drop_titles)
    return create_model("BriefUpdate", __config__=config, **fields)


def neutralise(text: str) -> str:
    """Requester text that cannot open or close the ``<request>`` delimiters (nor carry lone surrogates)."""
    return _TAG_OPENING.sub("‹", _SURROGATE.sub("", text))


def _short(value: object) -> object:
    """A draft value cut for the prompt."""
    if isinstance(value, str) and len(value) > MAX_DRAFT_VALUE_CHARS:
        return value[:MAX_DRAFT_VALUE_CHARS] + "…"
    if isinstance(value, list):
        return [_short(v) for v in value[:10]]
    return value


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


def parsed_answer(completion: Any) -> BaseModel:
    """The parsed message, or LLMFailure for a refusal or an empty answer."""
    if not completion.choices:
        raise LLMFailure("invalid_output")
    message = completion.choices[0].message
    if message.refusal:
        raise LLMFailure("refusal")
    parsed: BaseModel | None = message.parsed
    if parsed is None:
        raise LLMFailure("invalid_output")
    return parsed


def to_extraction(parsed: BaseModel, usage: Usage) -> Extraction:
    """Map the model's answer to a partial brief plus the fields it cleared."""
    data = parsed.model_dump()
    by_key = {schema_key(name): name for name in PROPOSED_FIELDS}
    cleared = [by_key[key] for key in dict.fromkeys(data.pop("cleared")) if key in by_key]
    fields = {by_key[key]: value for key, value in data.items()}
    fields["deadline"] = iso_date(fields["deadline"])
    return Extraction(update=Brief.model_validate(fields), usage=usage, cleared=cleared)


class LLMEngine:
    """Proposes the full updated brief with one OpenAI(-compatible) structured-output call."""

    name = "llm"

    def __init__(
        self,
        api_key: str,
        model: str,
        base_url: str | None = None,
        timeout_s: float = 15.0,
        prompts_dir: Path = DEFAULT_PROMPTS_DIR,
    ) -> None:
        self.model = model
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
        draft = {schema_key(name): _short(value) for name, value in ctx.draft.known().items() if name != "title"}
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

    def extract(self, text: str, ctx: AnalysisContext) -> Extraction:
        """One call; any failure raises LLMFailure with a short reason, never a client exception."""
        schema = response_model(tuple(ctx.catalog.type_names), tuple(ctx.catalog.channel_names))
        started = time.perf_counter()
        completion = None
        try:
            completion = self._client.chat.completions.parse(
                model=self.model, messages=self.messages(text, ctx), response_format=schema
            )
            extraction = to_extraction(parsed_answer(completion), self._usage(completion, started))
        except Exception as exc:  # SPEC 7: any LLM failure, whatever it is, falls back to rules
            reason = exc.reason if isinstance(exc, LLMFailure) else failure_reason(exc)
            self._log(self._usage(completion, started), reason, type(exc).__name__)
            raise LLMFailure(reason) from None
        self._log(extraction.usage, "ok")
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

    def _log(self, usage: Usage, outcome: str, error: str | None = None) -> None:
        """One structured line per call; never the key, the prompt or the requester's text."""
        extra = {
            "model": usage.model,
            "latency_ms": usage.latency_ms,
            "prompt_tokens": usage.prompt_tokens,
            "completion_tokens": usage.completion_tokens,
            "outcome": outcome,
        }
        if error:
            extra["error"] = error
        log.log(logging.INFO if outcome == "ok" else logging.WARNING, "llm call", extra=extra)
