"""JSON-lines logging: one valid object per line with the extras; secrets and tokens never printed."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from support import json_logs

from bootstrap import log_secrets
from bot.platform.logs import REDACTED, log_context
from bot.platform.settings import load_settings

SIGNING_SECRET = "8f14e45fceea167a5a36dedd4bea2543"
BOT_TOKEN = "xoxb-1234-5678-AbCdEfGhIj"
APP_TOKEN = "xapp-1-A0123-456-abcdef"
OPENAI_KEY = "sk-proj-AbC123_def-456"


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    """Root logging as JSON lines into a buffer for the test."""
    with json_logs("DEBUG", [SIGNING_SECRET]) as buffer:
        yield buffer


def lines(buffer: io.StringIO) -> list[dict[str, Any]]:
    """Every line written so far, parsed (fails on a line that is not one JSON object)."""
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_each_record_is_one_json_line_with_its_extras(stream: io.StringIO) -> None:
    log = logging.getLogger("creative.test")
    log.info("request %s submitted", "CR-0001", extra={"ref": "CR-0001", "event_id": "Ev1", "latency_ms": 12.5})
    log.warning("slack call failed\nsecond line", extra={"method": "chat.postMessage", "error": "ratelimited"})

    first, second = lines(stream)
    assert first["message"] == "request CR-0001 submitted"
    assert (first["level"], first["logger"]) == ("info", "creative.test")
    assert (first["ref"], first["event_id"], first["latency_ms"]) == ("CR-0001", "Ev1", 12.5)
    assert first["ts"].endswith("+00:00")
    assert (second["method"], second["error"]) == ("chat.postMessage", "ratelimited")
    assert second["message"] == "slack call failed\nsecond line"


def test_context_fields_are_added_and_extras_win(stream: io.StringIO) -> None:
    log = logging.getLogger("creative.test")
    with log_context(event_id="Ev9", ref=None):
        log.info("inside")
        log.info("override", extra={"event_id": "Ev10"})
    log.info("outside")

    inside, override, outside = lines(stream)
    assert inside["event_id"] == "Ev9" and "ref" not in inside
    assert override["event_id"] == "Ev10"
    assert "event_id" not in outside


def test_tokens_and_secrets_are_redacted_in_message_and_extras(stream: io.StringIO) -> None:
    log = logging.getLogger("creative.test")
    log.error(
        "calling with %s and %s, signing %s",
        BOT_TOKEN,
        APP_TOKEN,
        SIGNING_SECRET,
        extra={
            "header": f"Authorization: Bearer {BOT_TOKEN}",
            "key": OPENAI_KEY,
            "nested": {"items": [f"token={BOT_TOKEN}"], "token": "opaque-value"},
            "bot_token": "anything",
            "prompt_tokens": 42,
        },
    )

    [line] = lines(stream)
    text = json.dumps(line)
    for secret in (BOT_TOKEN, APP_TOKEN, OPENAI_KEY, SIGNING_SECRET, "opaque-value", "anything"):
        assert secret not in text
    assert line["message"] == (f"calling with xoxb-{REDACTED} and xapp-{REDACTED}, signing {REDACTED}")
    assert line["header"] == f"Authorization: Bearer {REDACTED}"
    assert line["key"] == f"sk-{REDACTED}"
    assert line["nested"] == {"items": [f"token=xoxb-{REDACTED}"], "token": REDACTED}
    assert line["bot_token"] == REDACTED
    assert line["prompt_tokens"] == 42


def test_tracebacks_are_one_line_and_redacted(stream: io.StringIO) -> None:
    try:
        raise RuntimeError(f"auth failed for {BOT_TOKEN}")
    except RuntimeError:
        logging.getLogger("creative.test").exception("slack call crashed")

    [line] = lines(stream)
    assert "RuntimeError: auth failed for xoxb-" + REDACTED in line["exception"]
    assert BOT_TOKEN not in stream.getvalue()


def test_words_that_merely_resemble_tokens_are_kept(stream: io.StringIO) -> None:
    logging.getLogger("creative.test").info("task-force desk-sk reviewed the xoxo card")

    [line] = lines(stream)
    assert line["message"] == "task-force desk-sk reviewed the xoxo card"


def test_a_malformed_log_call_still_logs(stream: io.StringIO) -> None:
    logging.getLogger("creative.test").info("two %s %s", "args-missing")

    [line] = lines(stream)
    assert line["message"].startswith("two %s %s")


def test_log_secrets_lists_every_secret_value() -> None:
    settings = load_settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        openai_api_key=OPENAI_KEY,
        database_url="postgresql://app:pg-p4ssw0rd@db/creative",
    )

    assert sorted(log_secrets(settings)) == sorted([BOT_TOKEN, SIGNING_SECRET, OPENAI_KEY, "pg-p4ssw0rd"])
