"""JSON-lines logging with secrets redacted (SPEC 7: structured logs; no token or secret in a log line).

Each record becomes one JSON object on one line: ``ts`` (ISO 8601, UTC, from the record's creation time),
``level``, ``logger``, ``message``, every ``extra`` field (``ref``, ``event_id``, ``method``, ``error``,
``latency_ms``…), the fields bound with ``log_context`` (extras win), and ``exception`` when there is one.

Redaction is defence in depth, applied by a handler filter to the message, the extras and the traceback:
Slack tokens (``xoxb-…``, ``xapp-…``), OpenAI keys (``sk-…``), ``Bearer`` credentials, the literal secrets
given to ``configure_logging``, and the whole value of any extra whose name says it is a secret.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO, TypeVar

from pydantic import SecretStr

from bot.platform.settings import Settings

T = TypeVar("T")
REDACTED = "[REDACTED]"
#: Shorter "secrets" are ignored: replacing every "a" in every line would hide more than it protects.
MIN_SECRET_LENGTH = 6
#: Bearer first, so a bearer Slack token is one redaction; each pattern leaves nothing for the others.
_PATTERNS = (
    (re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]+"), rf"\1{REDACTED}"),
    (re.compile(r"\b(xox[abposr]-)[A-Za-z0-9-]+"), rf"\1{REDACTED}"),
    (re.compile(r"\b(xapp-)[A-Za-z0-9-]+"), rf"\1{REDACTED}"),
    (re.compile(r"\b(sk-)[A-Za-z0-9_-]+"), rf"\1{REDACTED}"),
)
#: Extra names whose whole value is a secret: ``token``, ``bot_token``, ``signing_secret``… (not ``prompt_tokens``).
_SECRET_KEY = re.compile(r"(?i)^(.*[_-])?(token|secret|password|passwd|api_?key|authorization|cookie)$")
#: Attributes every LogRecord has; anything else on a record came from ``extra``.
_RECORD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
_EMPTY: Mapping[str, Any] = MappingProxyType({})
_context: contextvars.ContextVar[Mapping[str, Any]] = contextvars.ContextVar("log_context", default=_EMPTY)


@contextmanager
def log_context(**fields: Any) -> Iterator[None]:
    """Add ``fields`` (say ``event_id``, ``ref``) to every line logged in this context; None values are skipped."""
    token = _context.set({**_context.get(), **{k: v for k, v in fields.items() if v is not None}})
    try:
        yield
    finally:
        _context.reset(token)


class Redactor:
    """Replaces token-shaped strings and known secret values."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        unique = {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}
        self.secrets = sorted(unique, key=len, reverse=True)  # longest first: no partial leftovers

    def text(self, value: str) -> str:
        """``value`` with every secret and token-shaped string replaced."""
        for secret in self.secrets:
            value = value.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            value = pattern.sub(replacement, value)
        return value

    def value(self, value: Any, key: str = "") -> Any:
        """A structured value redacted recursively; the whole value when its key names a secret."""
        if key and _SECRET_KEY.search(key) and value is not None:
            return REDACTED
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: self.value(v, str(k)) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            return [self.value(v) for v in value]
        if isinstance(value, bool | int | float) or value is None:
            return value
        return self.text(str(value))


class RedactingFilter(logging.Filter):
    """A handler filter that redacts a record in place: message (args merged in), extras, traceback."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.redactor = Redactor(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record, redacted."""
        record.msg, record.args = self.redactor.text(_message(record)), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.text(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.text(record.stack_info)
        for key in extra_fields(record):
            setattr(record, key, self.redactor.value(getattr(record, key), key))
        return True


def _message(record: logging.LogRecord) -> str:
    """The record's message; a call whose arguments do not fit its format still logs, never raises."""
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        return f"{record.msg} {record.args!r}"


class ContextFilter(logging.Filter):
    """Adds the ``log_context`` fields to a record (fields passed as ``extra`` win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record."""
        for key, value in _context.get().items():
            if key not in record.__dict__:
                setattr(record, key, value)
        return True


def extra_fields(record: logging.LogRecord) -> list[str]:
    """The names of the record's ``extra`` fields."""
    return [key for key in record.__dict__ if key not in _RECORD_ATTRS and not key.startswith("_")]


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """``ts``, ``level``, ``logger``, ``message``, the extras, and ``exception``/``stack`` when present."""
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in extra_fields(record):
            line.setdefault(key, getattr(record, key))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(
    level: int | str = logging.INFO,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    file: Path | None = None,
) -> logging.Handler:
    """Send every logger's records to ``file`` (appended to, created with the first line) or ``stream``
    (stderr) as redacted JSON lines; replaces root's handlers.

    Safe to call again (say, once settings are known): the previous handlers are removed.
    """
    handler: logging.Handler = (
        logging.FileHandler(file, encoding="utf-8", delay=True) if file else logging.StreamHandler(stream or sys.stderr)
    )
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    return handler


def settings_secrets(settings: Settings, *others: str | None) -> list[str]:
    """Every secret value in ``settings`` (the SecretStr fields), and ``others`` that are set."""
    secrets = [
        value.get_secret_value()
        for name in type(settings).model_fields
        if isinstance(value := getattr(settings, name), SecretStr)
    ]
    return [s for s in (*secrets, *others) if s]
