"""A scriptable, OpenAI-compatible Chat Completions server on 127.0.0.1, for tests and benchmarks.

    with FakeOpenAI() as server:
        server.enqueue(reply({"request_type": "video", ...}), status(500))
        engine = LLMEngine(api_key="test", model="m", base_url=server.base_url)
        ...
        server.requests[0].body["messages"]

What answers a request, first match wins: the next queued behaviour (``enqueue``), then
``responder(request_json)`` when set, then ``default`` (``empty()``: a schema-valid object of
nulls and empty lists derived from the request's ``response_format``). Every answer waits
``base_latency_s`` plus its own ``delay_s`` first. Usage tokens are counted from what was received
(about four characters a token, the response schema included) unless a behaviour gives them.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CHARS_PER_TOKEN = 4
#: Per-message framing tokens, as OpenAI's tokenizer accounting adds them.
MESSAGE_OVERHEAD_TOKENS = 4


@dataclass(frozen=True)
class Behaviour:
    """How the server answers one request."""

    status: int = 200
    content: str | None = None
    refusal: str | None = None
    finish_reason: str = "stop"
    delay_s: float = 0.0
    retry_after: float | None = None
    usage: dict[str, int] | None = None
    #: Derive the content from the request's response_format (see ``empty``).
    from_schema: bool = False


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


def reply(obj: Any, usage: dict[str, int] | None = None) -> Behaviour:
    """Answer with ``json.dumps(obj)`` as the message content."""
    return Behaviour(content=json.dumps(obj), usage=usage)


def raw(content: str) -> Behaviour:
    """Answer with this exact content string (malformed JSON, prose, empty…)."""
    return Behaviour(content=content)


def refuse(text: str = "I can't help with that.") -> Behaviour:
    """Answer with a refusal: ``message.refusal`` set, content null."""
    return Behaviour(refusal=text)


def status(code: int, retry_after: float | None = None) -> Behaviour:
    """Answer with an HTTP error in OpenAI's error shape (optionally with Retry-After)."""
    return Behaviour(status=code, retry_after=retry_after)


def delay(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Wait ``seconds`` before answering as ``then`` (default: ``empty()``)."""
    return replace(then or empty(), delay_s=seconds)


def empty() -> Behaviour:
    """Answer with the emptiest object the request's JSON schema accepts."""
    return Behaviour(from_schema=True)


def empty_instance(schema: dict[str, Any]) -> Any:
    """Null for nullable values, [] for arrays, recursively for objects; the first enum value otherwise."""
    kinds = schema.get("type")
    variants = [v.get("type") for v in schema.get("anyOf", [])]
    if kinds == "null" or "null" in variants or (isinstance(kinds, list) and "null" in kinds):
        return None
    if kinds == "array":
        return []
    if kinds == "object":
        return {name: empty_instance(prop) for name, prop in schema.get("properties", {}).items()}
    if schema.get("enum"):
        return schema["enum"][0]
    return {"string": "", "integer": 0, "number": 0, "boolean": False}.get(str(kinds))


def estimate_tokens(text: str) -> int:
    """About four characters a token."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def prompt_tokens(body: dict[str, Any]) -> int:
    """Tokens of the received messages (plus framing) and of the response schema."""
    messages = body.get("messages", [])
    text = "".join(str(m.get("content") or "") for m in messages)
    schema = json.dumps(body["response_format"]) if body.get("response_format") else ""
    return estimate_tokens(text + schema) + MESSAGE_OVERHEAD_TOKENS * len(messages)


class FakeOpenAI:
    """A real HTTP server on an ephemeral port, in a daemon thread; a context manager."""

    def __init__(self, base_latency_s: float = 0.0, model: str | None = None) -> None:
        self.base_latency_s = base_latency_s
        self.model = model
        self.default: Behaviour = empty()
        self.responder: Callable[[dict[str, Any]], Behaviour] | None = None
        self.requests: list[RecordedRequest] = []
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-openai", daemon=True
        )

    @property
    def base_url(self) -> str:
        """The ``/v1`` base URL to give an OpenAI client."""
        return f"http://127.0.0.1:{self._httpd.server_port}/v1"

    def enqueue(self, *behaviours: Behaviour) -> None:
        """Answer the next requests with these, in order."""
        with self._lock:
            self._queue.extend(behaviours)

    def start(self) -> FakeOpenAI:
        """Start serving."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests still waiting on a delay are released at once."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def record(self, request: RecordedRequest) -> Behaviour:
        """Store a request and choose its behaviour."""
        with self._lock:
            self.requests.append(request)
            if self._queue:
                return self._queue.popleft()
        if self.responder is not None and isinstance(request.body, dict):
            return self.responder(request.body)
        return self.default

    def wait(self, seconds: float) -> None:
        """Sleep, unless the server is stopping."""
        if seconds > 0:
            self._stopping.wait(seconds)

    def completion(self, body: dict[str, Any], behaviour: Behaviour) -> dict[str, Any]:
        """A Chat Completions response object for this request."""
        content = behaviour.content
        if behaviour.from_schema:
            schema = body.get("response_format", {}).get("json_schema", {}).get("schema", {})
            content = json.dumps(empty_instance(schema))
        prompt = prompt_tokens(body)
        completion = estimate_tokens(content or behaviour.refusal or "")
        usage = behaviour.usage or {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }
        return {
            "id": f"chatcmpl-fake{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": self.model or body.get("model", "fake-model"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": behaviour.refusal},
                    "logprobs": None,
                    "finish_reason": behaviour.finish_reason,
                }
            ],
            "usage": usage,
        }


def error_body(code: int, message: str) -> dict[str, Any]:
    """OpenAI's error shape."""
    kinds = {
        400: "invalid_request_error",
        401: "invalid_request_error",
        404: "invalid_request_error",
        429: "rate_limit_exceeded",
    }
    kind = kinds.get(code, "server_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": kind}}


def _handler_for(server: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    """A request handler class bound to ``server``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests read ``server.requests`` instead."""

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw_body = self.rfile.read(length)
            try:
                body: Any = json.loads(raw_body or b"null")
            except json.JSONDecodeError:
                body = raw_body.decode("utf-8", "replace")
            request = RecordedRequest("POST", self.path, dict(self.headers.items()), body)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self.send_json(404, error_body(404, f"Unknown path {self.path}"))
                return
            behaviour = server.record(request)
            server.wait(server.base_latency_s + behaviour.delay_s)
            if behaviour.status != 200:
                headers = {} if behaviour.retry_after is None else {"Retry-After": f"{behaviour.retry_after:g}"}
                self.send_json(behaviour.status, error_body(behaviour.status, "Fake failure."), headers)
                return
            self.send_json(200, server.completion(body if isinstance(body, dict) else {}, behaviour))

        def send_json(self, code: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            """Write a JSON response; a client that has gone away (timeout) is ignored."""
            data = json.dumps(payload).encode("utf-8")
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

    return Handler


def full_answer(**fields: Any) -> dict[str, Any]:
    """A schema-complete answer to the analysis prompt: every key null or empty except ``fields``."""
    answer: dict[str, Any] = {
        "request_type": None,
        "channels": [],
        "objective": None,
        "audience": None,
        "deadline": None,
        "platforms": [],
        "formats": [],
        "duration": None,
        "copy_text": None,
        "url": None,
        "quantity": None,
        "slide_count": None,
        "source_asset": None,
        "markets": [],
        "usage": None,
        "campaign": None,
        "budget": None,
        "assets": [],
        "approver": None,
        "notes": None,
        "cleared": [],
    }
    return {**answer, **fields}


#: What a model proposes for "need a 30s youtube pre-roll, 16:9, due in 3 weeks" (today 2 March 2026).
VIDEO_PROPOSAL = full_answer(
    request_type="video",
    channels=["video_platforms", "paid_ads"],
    deadline="2026-03-23",
    platforms=["youtube"],
    formats=["16:9"],
    duration="30s",
)
