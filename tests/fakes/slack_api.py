"""A fake Slack Web API on 127.0.0.1 that records every call, for tests "at the wire".

    with FakeSlackAPI() as slack:
        slack.set_user("U1", tz="Europe/Berlin")
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        ...                                   # the code under test calls Slack
        [call] = slack.wait_for("chat.postMessage", lambda c: c.params["channel"] == "C1")
        call.params["blocks"][0]["type"]

What it serves (``POST`` or ``GET``):

- ``/api/<method>`` with a form-encoded or JSON body (query-string parameters are merged in).
  JSON-valued parameters that arrive as strings in a form body (``blocks``, ``attachments``,
  ``view``, ``files``, ``metadata``) are decoded; ``Call.body`` keeps the raw bytes. Plausible
  answers for the methods listed in ``_HANDLERS``; ``{"ok": true}`` for any other method.
- ``/upload/<file_id>``: the upload URL that ``files.getUploadURLExternal`` hands out, so that
  ``WebClient.files_upload_v2`` works end to end (recorded as method ``"upload"``; the file's
  bytes are ``Call.body``).
- ``/hooks/<anything>``: a ``response_url`` stand-in (see ``hook_url``), recorded as method
  ``"response_url"``, so Bolt's ``respond()`` can be tested.

Block Kit limits are enforced like Slack does for the commonest renderer bugs: messages
(``chat.postMessage``/``chat.update``/``chat.postEphemeral``) answer ``invalid_blocks`` and views
(``views.open``/``update``/``push``/``publish``) answer ``invalid_arguments``, both with
``response_metadata.messages`` naming the offending JSON pointer.

A call is recorded when it is received, before any injected latency, so ``wait_for`` can return
while the caller is still waiting for its answer.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

TEAM_ID = "T1"
BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A1"
WORKSPACE_URL = "https://t1.slack.com/"

#: Methods that need no token (the upload URL and response_url are pre-authorised by Slack).
_NO_AUTH = frozenset({"upload", "response_url"})
_JSON_STRING_PARAMS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")

# Slack's documented Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_SECTION_TEXT = 3000
MAX_SECTION_FIELDS = 10
MAX_FIELD_TEXT = 2000
MAX_HEADER_TEXT = 150
MAX_ACTIONS_ELEMENTS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
MAX_VIEW_TITLE = 24
MAX_PRIVATE_METADATA = 3000

Predicate = Callable[["Call"], bool]


def _any_call(_: Call) -> bool:
    """The default predicate: every call matches."""
    return True


@dataclass(frozen=True)
class Call:
    """One request received by the fake, with the answer it got."""

    method: str
    params: dict[str, Any]
    #: Request headers, names lower-cased.
    headers: dict[str, str]
    #: ``time.monotonic()`` when the request was received.
    at: float
    status: int = 200
    response: dict[str, Any] | str = field(default_factory=dict)
    #: The raw request body.
    body: bytes = b""

    @property
    def token(self) -> str | None:
        """The token sent as ``Authorization: Bearer …`` or as a ``token`` parameter."""
        return _token_of(self.headers, self.params)

    @property
    def ok(self) -> bool:
        """Whether the caller got a successful answer."""
        return self.status == 200 and isinstance(self.response, dict) and bool(self.response.get("ok"))

    def summary(self, limit: int = 300) -> str:
        """One readable line: method, answer and (truncated) parameters."""
        outcome = "ok" if self.ok else f"HTTP {self.status} {self._error()}"
        params = json.dumps(self.params, default=repr, ensure_ascii=False)
        if len(params) > limit:
            params = params[:limit] + "…"
        return f"{self.method} -> {outcome} {params}"

    def _error(self) -> str:
        """The Slack error code of a failed answer, if any."""
        return str(self.response.get("error", "")) if isinstance(self.response, dict) else ""


@dataclass
class _Failure:
    """An injected failure, consumed ``remaining`` times."""

    status: int
    error: str
    retry_after: int | None
    remaining: int
    #: Only calls to conversations whose id starts with this fail (None: every call).
    channel: str | None = None


@dataclass(frozen=True)
class _Reply:
    """What the HTTP handler writes back."""

    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Upload:
    """A file announced by ``files.getUploadURLExternal``; ``content`` is set once uploaded."""

    filename: str
    content: bytes | None = None


class FakeSlackAPI:
    """A threaded HTTP server that answers like the Slack Web API and records every call."""

    def __init__(self, *, strict_users: bool = False) -> None:
        """``strict_users``: ``users.info`` answers ``user_not_found`` for users not ``set_user``."""
        self.strict_users = strict_users
        self._cond = threading.Condition()
        self._calls: list[Call] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._latency: dict[str | None, float] = {}
        self._users: dict[str, dict[str, Any]] = {}
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._reactions: set[tuple[str, str, str]] = set()
        self._uploads: dict[str, _Upload] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._serial = itertools.count(1)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._port = 0
        self._thread: threading.Thread | None = None
        #: What ``apps.connections.open`` answers (a Socket Mode WebSocket URL); None: not configured.
        self.socket_mode_url: str | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self, port: int = 0) -> FakeSlackAPI:
        """Listen on ``port`` (an ephemeral one by default) of 127.0.0.1 and serve from a daemon thread."""
        server = _Server(("127.0.0.1", port), _Handler)
        server.fake = self
        self._server = server
        self._stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-slack-api", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests still sleeping in an injected latency are released."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = None
        self._thread = None

    def refuse_connections(self) -> None:
        """An outage: stop listening, so that every call is refused at the TCP level (``restore`` ends it)."""
        assert self._server is not None, "FakeSlackAPI is not started"
        self._port = self._server.server_port
        self.stop()

    def restore(self) -> None:
        """End an outage: listen again on the same port."""
        self.start(self._port)

    def __enter__(self) -> FakeSlackAPI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash; during an outage, the port that refuses)."""
        if self._server is None and not self._port:
            raise RuntimeError("FakeSlackAPI is not started")
        return f"http://127.0.0.1:{self._server.server_port if self._server else self._port}"

    @property
    def base_url(self) -> str:
        """The Web API base URL for ``WebClient(base_url=...)``: ``http://127.0.0.1:PORT/api/``."""
        return f"{self.root_url}/api/"

    def hook_url(self, name: str = "commands") -> str:
        """A fresh ``response_url`` served by this fake; posts to it are recorded as ``response_url``."""
        return f"{self.root_url}/hooks/{name}/{TEAM_ID}/{next(self._serial)}"

    # ------------------------------------------------------------------ configuration

    def set_user(
        self,
        user_id: str,
        *,
        tz: str = "UTC",
        name: str | None = None,
        real_name: str | None = None,
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
        locale: str | None = None,
    ) -> None:
        """Register a user for ``users.info`` (``tz`` is an IANA zone; the offset is computed from it; ``locale``
        is answered only when asked with ``include_locale``, as Slack does)."""
        ZoneInfo(tz)  # fail fast on a typo
        with self._cond:
            self._users[user_id] = {
                "name": name or user_id.lower(),
                "real_name": real_name or f"User {user_id}",
                "email": email or f"{user_id.lower()}@example.com",
                "tz": tz,
                "is_bot": is_bot,
                "deleted": deleted,
                "locale": locale,
            }

    def set_channel(
        self, channel_id: str, *, is_member: bool = True, is_archived: bool = False, exists: bool = True
    ) -> None:
        """What ``conversations.info`` says of a channel: the bot a member or not, archived or not;
        ``exists=False`` answers ``channel_not_found`` (as Slack does for a private channel the bot is not in)."""
        with self._cond:
            self._channels[channel_id] = {"is_member": is_member, "is_archived": is_archived, "exists": exists}

    def put_message(
        self, channel: str, text: str, *, user: str = "U0AUTHOR", ts: str | None = None, thread_ts: str | None = None
    ) -> str:
        """A message someone wrote in ``channel`` (in the thread of ``thread_ts``), as ``conversations.history``
        and ``conversations.replies`` then list it; ``text`` as Slack sends it (escaped). Its ts."""
        with self._cond:
            ts = ts or self._next_ts()
            message = {"type": "message", "text": text, "user": user, "team": TEAM_ID, "ts": ts}
            if thread_ts:
                message["thread_ts"] = thread_ts
            self._messages[(channel, ts)] = message
            return ts

    def fail_next(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        channel: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``status=429`` answers ``ratelimited`` with a ``Retry-After`` header (``retry_after``,
        default 1 second, as Slack always sends one); another non-200 status answers
        ``{"ok": false, "error": error or "internal_error"}`` with that status; ``status=200``
        answers ``{"ok": false, "error": error or "internal_error"}``. Failures queue up per method.
        With ``channel``, only calls to a conversation whose id starts with it fail (``"D"``: DMs).
        """
        if status == 429:
            error, retry_after = error or "ratelimited", 1 if retry_after is None else retry_after
        failure = _Failure(status, error or "internal_error", retry_after, times, channel)
        with self._cond:
            self._failures.setdefault(method, []).append(failure)

    def set_latency(self, seconds: float, method: str | None = None) -> None:
        """Delay every answer (``method=None``) or the answers to one method by ``seconds``."""
        with self._cond:
            self._latency[method] = seconds

    # ------------------------------------------------------------------ inspection

    def calls(self, method: str | None = None, predicate: Predicate = _any_call) -> list[Call]:
        """A copy of the calls received so far, oldest first, optionally filtered.

        A predicate that raises ``LookupError``, ``TypeError`` or ``ValueError`` (say, a missing
        parameter) counts as "does not match".
        """
        with self._cond:
            return self._matching(method, predicate)

    def clear(self) -> None:
        """Forget the recorded calls (users, injected failures and latencies are kept)."""
        with self._cond:
            self._calls.clear()

    def message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """The current state of a message posted through this fake (after any ``chat.update``)."""
        with self._cond:
            return self._messages.get((channel, ts))

    def wait_for(
        self,
        method: str,
        predicate: Predicate = _any_call,
        *,
        timeout: float = 5.0,
        count: int = 1,
    ) -> list[Call]:
        """Block until at least ``count`` calls of ``method`` match ``predicate``; return all that match.

        Wakes on every recorded call (no polling interval, no fixed sleep). On timeout, raises
        ``AssertionError`` listing the calls of that method and a tally of every method seen.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                matches = self._matching(method, predicate)
                if len(matches) >= count:
                    return matches
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} {method} call(s) matching the predicate within {timeout}s, "
                        f"got {len(matches)}.\n{self._describe(method)}"
                    )
                self._cond.wait(remaining)

    def quiesce(self, quiet: float = 0.2, *, timeout: float = 5.0) -> None:
        """Block until no call has arrived for ``quiet`` seconds (counted from now at the earliest).

        Bounded by ``timeout``: raises ``AssertionError`` if calls keep arriving. This is a
        heuristic: it cannot see work that has not reached Slack yet, so use it after a real sync
        point (an HTTP ack, a ``wait_for``) and with ``quiet`` larger than the work's usual gap.
        """
        start = time.monotonic()
        deadline = start + timeout
        with self._cond:
            while True:
                last = max(start, self._calls[-1].at if self._calls else start)
                now = time.monotonic()
                if now >= last + quiet:
                    return
                if now >= deadline:
                    raise AssertionError(f"Slack calls still arriving after {timeout}s.\n{self._describe(None)}")
                self._cond.wait(min(last + quiet, deadline) - now)

    def assert_no_call(
        self,
        method: str,
        predicate: Predicate = _any_call,
        *,
        quiet: float = 0.2,
        timeout: float = 5.0,
    ) -> None:
        """``quiesce(quiet, timeout=timeout)``, then assert that no call of ``method`` matches.

        Meaningful only after a sync point that the unwanted call would have preceded or
        accompanied (e.g. after ``wait_for`` of the reply that a duplicate would have doubled);
        ``quiet`` then covers stragglers. ``quiet=0`` checks immediately.
        """
        if quiet > 0:
            self.quiesce(quiet, timeout=timeout)
        matches = self.calls(method, predicate)
        if matches:
            lines = "\n".join(f"  {call.summary()}" for call in matches)
            raise AssertionError(f"expected no {method} call matching the predicate, got {len(matches)}:\n{lines}")

    def _matching(self, method: str | None, predicate: Predicate) -> list[Call]:
        """Calls of ``method`` (any if None) accepted by ``predicate``; caller holds the lock."""
        return [c for c in self._calls if (method is None or c.method == method) and _safe(predicate, c)]

    def _describe(self, method: str | None) -> str:
        """A readable account of what was received; caller holds the lock."""
        seen = ", ".join(f"{name} x{n}" for name, n in tally(self._calls).items()) or "nothing"
        relevant = [c for c in self._calls if method is None or c.method == method]
        lines = "\n".join(f"  {call.summary()}" for call in relevant[-20:])
        label = method or "all"
        return f"calls seen: {seen}\n{label} calls (last 20):\n{lines or '  (none)'}"

    # ------------------------------------------------------------------ request handling

    def _handle(self, path: str, query: str, headers: dict[str, str], body: bytes) -> _Reply:
        """Route, answer and record one HTTP request; then apply any injected latency."""
        method = _route(path)
        if method is None:
            return _Reply(404, "Not Found")
        try:
            params = _request_params(method, path, query, headers, body)
        except ValueError:  # undecodable bytes or broken JSON
            params, reply = {}, _Reply(200, _error("invalid_json"))
        else:
            reply = None
        with self._cond:
            reply = reply or self._answer(method, params, headers, body)
            self._calls.append(Call(method, params, headers, time.monotonic(), reply.status, reply.body, body))
            self._cond.notify_all()
            delay = self._latency.get(method, self._latency.get(None, 0.0))
        if delay > 0:
            self._stopping.wait(delay)
        return reply

    def _answer(self, method: str, params: dict[str, Any], headers: dict[str, str], body: bytes) -> _Reply:
        """The reply to one call: an injected failure, an auth error, or the method's answer."""
        failure = self._pop_failure(method, str(params.get("channel") or ""))
        if failure is not None:
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            return _Reply(failure.status, {"ok": False, "error": failure.error}, extra)
        if method not in _NO_AUTH and not _token_of(headers, params):
            return _Reply(200, {"ok": False, "error": "invalid_auth"})
        if method == "upload":
            return self._upload(params["file_id"], body)
        handler = _HANDLERS.get(method)
        return _Reply(200, handler(self, params) if handler else {"ok": True})

    def _pop_failure(self, method: str, channel: str) -> _Failure | None:
        """Consume one use of the oldest failure queued for ``method`` that applies to ``channel``."""
        queue = self._failures.get(method) or []
        failure = next(
            (f for f in queue if f.channel is None or _conversation_for(channel).startswith(f.channel)), None
        )
        if failure is None:
            return None
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.remove(failure)
        return failure

    def _next_ts(self) -> str:
        """A unique, increasing message timestamp: 1700000000.000100, 1700000000.000200, …"""
        seconds, micros = divmod(next(self._serial) * 100, 1_000_000)
        return f"{1_700_000_000 + seconds}.{micros:06d}"

    def _upload(self, file_id: str, content: bytes) -> _Reply:
        """Accept the bytes for a file announced by ``files.getUploadURLExternal``."""
        upload = self._uploads.get(file_id)
        if upload is None:
            return _Reply(404, "Not Found")
        upload.content = content
        return _Reply(200, f"OK - {len(content)}")

    # ------------------------------------------------------------------ Web API methods

    def _auth_test(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": WORKSPACE_URL,
            "team": "Test Workspace",
            "user": "creative-intake",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, p: dict[str, Any]) -> dict[str, Any]:
        error = _message_error(p)
        if error:
            return error
        channel = _conversation_for(p["channel"])
        ts = self._next_ts()
        message = {
            "type": "message",
            "text": p.get("text") or "",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if p.get(key):
                message[key] = p[key]
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _chat_update(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("channel", "")[:1] in ("U", "W"):
            return _error("channel_not_found", "chat.update needs a conversation id, not a user id")
        if not p.get("ts"):
            return _error("message_not_found")
        error = _message_error(p)
        if error:
            return error
        channel, ts = p["channel"], p["ts"]
        previous = self._messages.get(
            (channel, ts), {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": ts}
        )
        message = {**previous, "text": p.get("text") or "", "edited": {"user": BOT_USER_ID, "ts": self._next_ts()}}
        for key in ("blocks", "attachments"):
            if key in p:
                message[key] = p[key]
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _chat_delete(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = p.get("channel"), p.get("ts")
        if not channel or not ts or self._messages.pop((channel, ts), None) is None:
            return _error("message_not_found")
        return {"ok": True, "channel": channel, "ts": ts}

    def _chat_post_ephemeral(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("user"):
            return _error("user_not_found")
        return _message_error(p) or {"ok": True, "message_ts": self._next_ts()}

    def _chat_get_permalink(self, p: dict[str, Any]) -> dict[str, Any]:
        channel, ts = p.get("channel"), p.get("message_ts")
        if not channel or not ts:
            return _error("message_not_found")
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"{WORKSPACE_URL}archives/{channel}/p{ts.replace('.', '')}",
        }

    def _conversations_open(self, p: dict[str, Any]) -> dict[str, Any]:
        if p.get("channel"):
            return {"ok": True, "channel": {"id": p["channel"]}}
        users = [u for u in str(p.get("users") or "").split(",") if u]
        if not users:
            return _error("users_list_not_supplied")
        channel_id = _conversation_for(users[0]) if len(users) == 1 else "G" + "".join(users)
        return {"ok": True, "channel": {"id": channel_id}}

    def _conversations_history(self, p: dict[str, Any]) -> dict[str, Any]:
        """The channel's top-level messages between ``oldest`` and ``latest`` (``inclusive`` keeps the bounds),
        newest first; metadata only when asked for."""
        channel = str(p.get("channel") or "")
        if channel[:1] in ("U", "W") or not channel:
            return _error("channel_not_found")
        return self._listing(p, lambda key, m: key[0] == channel and m.get("thread_ts") in (None, m["ts"]))

    def _conversations_replies(self, p: dict[str, Any]) -> dict[str, Any]:
        """A thread's messages between ``oldest`` and ``latest``, oldest first, its parent always first, like
        Slack; ``ts`` may be the parent's or a reply's."""
        channel, ts = str(p.get("channel") or ""), str(p.get("ts") or "")
        if (channel, ts) not in self._messages:
            return _error("thread_not_found")
        parent = self._messages[(channel, ts)].get("thread_ts") or ts
        return self._listing(
            p,
            lambda key, m: key[0] == channel and parent in (m["ts"], m.get("thread_ts")),
            keep_first=lambda m: m["ts"] == parent,
            newest_first=False,
        )

    def _listing(
        self,
        p: dict[str, Any],
        keep: Callable[[tuple[str, str], dict[str, Any]], bool],
        keep_first: Callable[[dict[str, Any]], bool] = lambda _: False,
        newest_first: bool = True,
    ) -> dict[str, Any]:
        """Matching messages within ``oldest``/``latest`` (bounds kept with ``inclusive``), newest first (or
        oldest first), cut to ``limit``; a message ``keep_first`` holds (a thread's parent) is kept whatever the
        bounds."""
        inclusive = str(p.get("inclusive")).lower() in ("true", "1")
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")

        def within(ts: float) -> bool:
            return oldest <= ts <= latest if inclusive else (oldest < ts or not oldest) and ts < latest

        metadata = str(p.get("include_all_metadata")).lower() in ("true", "1")
        found = [
            {k: v for k, v in m.items() if metadata or k != "metadata"}
            for key, m in sorted(self._messages.items(), key=lambda item: float(item[0][1]), reverse=newest_first)
            if keep(key, m) and (within(float(key[1])) or keep_first(m))
        ]
        return {"ok": True, "messages": found[: int(p.get("limit") or 100)], "has_more": False}

    def _conversations_info(self, p: dict[str, Any]) -> dict[str, Any]:
        channel = p.get("channel")
        if not channel:
            return _error("channel_not_found")
        info: dict[str, Any] = {
            "id": channel,
            "name": channel.lower(),
            "is_channel": channel.startswith("C"),
            "is_group": channel.startswith("G"),
            "is_im": channel.startswith("D"),
            "is_private": channel[:1] in ("G", "D"),
            "is_member": True,
            "is_archived": False,
        }
        if channel.startswith("D"):
            info["user"] = channel[1:]
        state = self._channels.get(channel, {})
        if not state.get("exists", True):
            return _error("channel_not_found")
        info.update({k: v for k, v in state.items() if k != "exists"})
        return {"ok": True, "channel": info}

    def _users_info(self, p: dict[str, Any]) -> dict[str, Any]:
        user_id = p.get("user")
        if not user_id or (self.strict_users and user_id not in self._users):
            return _error("user_not_found")
        user = _user_object(user_id, self._users.get(user_id) or {})
        locale = (self._users.get(user_id) or {}).get("locale")
        if locale and str(p.get("include_locale")).lower() in ("true", "1"):
            user["locale"] = locale
        return {"ok": True, "user": user}

    def _views_open(self, p: dict[str, Any]) -> dict[str, Any]:
        return self._view_answer(p, view_id=f"V{next(self._serial):07d}")

    def _views_update(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("view_id") and not p.get("external_id"):
            return _error("invalid_arguments", "view_id or external_id is required")
        return self._view_answer(p, view_id=p.get("view_id") or f"V{next(self._serial):07d}")

    def _views_publish(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("user_id"):
            return _error("invalid_arguments", "user_id is required")
        return self._view_answer(p, view_id=f"V{next(self._serial):07d}")

    def _view_answer(self, p: dict[str, Any], *, view_id: str) -> dict[str, Any]:
        """Validate ``p["view"]`` and echo it back as Slack's view object."""
        view = p.get("view")
        problems = view_problems(view)
        if problems:
            return _error("invalid_arguments", *problems)
        echoed = {
            **view,
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
            "hash": f"{next(self._serial)}.hash",
            "root_view_id": view_id,
            "previous_view_id": None,
        }
        echoed.setdefault("private_metadata", "")
        echoed.setdefault("callback_id", "")
        return {"ok": True, "view": echoed}

    def _reactions_add(self, p: dict[str, Any]) -> dict[str, Any]:
        key = (str(p.get("channel")), str(p.get("timestamp")), str(p.get("name")))
        if not all(p.get(k) for k in ("channel", "timestamp", "name")):
            return _error("invalid_arguments", "channel, timestamp and name are required")
        if key in self._reactions:
            return _error("already_reacted")
        self._reactions.add(key)
        return {"ok": True}

    def _files_get_upload_url_external(self, p: dict[str, Any]) -> dict[str, Any]:
        if not p.get("filename") or not str(p.get("length", "")).isdigit():
            return _error("invalid_arguments", "filename and length are required")
        file_id = f"F{next(self._serial):07d}"
        self._uploads[file_id] = _Upload(filename=p["filename"])
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.root_url}/upload/{file_id}"}

    def _files_complete_upload_external(self, p: dict[str, Any]) -> dict[str, Any]:
        files = p.get("files")
        if not isinstance(files, list) or not files:
            return _error("invalid_arguments", "files is required")
        channel = p.get("channel_id")
        completed = []
        for item in files:
            upload = self._uploads.get(item.get("id", ""))
            if upload is None or upload.content is None:
                return _error("file_not_found")
            title = item.get("title") or upload.filename
            completed.append(
                {
                    "id": item["id"],
                    "name": upload.filename,
                    "title": title,
                    "size": len(upload.content),
                    "user": BOT_USER_ID,
                    "channels": [channel] if channel else [],
                    "permalink": f"{WORKSPACE_URL}files/{BOT_USER_ID}/{item['id']}/{upload.filename}",
                }
            )
        return {"ok": True, "files": completed}


def _apps_connections_open(fake: FakeSlackAPI, _params: dict[str, Any]) -> dict[str, Any]:
    """The Socket Mode WebSocket URL, when a test has set one."""
    return {"ok": True, "url": fake.socket_mode_url} if fake.socket_mode_url else _error("invalid_auth")


_HANDLERS: dict[str, Callable[[FakeSlackAPI, dict[str, Any]], dict[str, Any]]] = {
    "apps.connections.open": _apps_connections_open,
    "auth.test": FakeSlackAPI._auth_test,
    "chat.postMessage": FakeSlackAPI._chat_post_message,
    "chat.update": FakeSlackAPI._chat_update,
    "chat.postEphemeral": FakeSlackAPI._chat_post_ephemeral,
    "chat.delete": FakeSlackAPI._chat_delete,
    "chat.getPermalink": FakeSlackAPI._chat_get_permalink,
    "conversations.open": FakeSlackAPI._conversations_open,
    "conversations.info": FakeSlackAPI._conversations_info,
    "conversations.history": FakeSlackAPI._conversations_history,
    "conversations.replies": FakeSlackAPI._conversations_replies,
    "users.info": FakeSlackAPI._users_info,
    "views.open": FakeSlackAPI._views_open,
    "views.push": FakeSlackAPI._views_open,
    "views.update": FakeSlackAPI._views_update,
    "views.publish": FakeSlackAPI._views_publish,
    "reactions.add": FakeSlackAPI._reactions_add,
    "files.getUploadURLExternal": FakeSlackAPI._files_get_upload_url_external,
    "files.completeUploadExternal": FakeSlackAPI._files_complete_upload_external,
}


class _Server(ThreadingHTTPServer):
    """One thread per request; daemon threads so a hung client never blocks shutdown."""

    daemon_threads = True
    fake: FakeSlackAPI


class _Handler(BaseHTTPRequestHandler):
    """Reads the request, lets the fake answer it, writes JSON (or text) back."""

    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._dispatch()

    def do_POST(self) -> None:  # noqa: N802 (http.server naming)
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (signature of the base class)
        """Keep test output clean."""

    def _dispatch(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.fake._handle(url.path, url.query, headers, body)
        if isinstance(reply.body, dict):
            data, content_type = json.dumps(reply.body).encode(), "application/json; charset=utf-8"
        else:
            data, content_type = reply.body.encode(), "text/plain; charset=utf-8"
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


# ---------------------------------------------------------------------- helpers


def _route(path: str) -> str | None:
    """The recorded method name for a request path, or None for an unknown path."""
    if path.startswith("/api/"):
        return path[len("/api/") :]
    if path.startswith("/hooks/"):
        return "response_url"
    if path.startswith("/upload/"):
        return "upload"
    return None


def _request_params(method: str, path: str, query: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The call's parameters; for an upload, the file id and size (the bytes stay in ``Call.body``)."""
    if method == "upload":
        return {"file_id": path.rsplit("/", 1)[-1], "size": len(body)}
    return _decode_json_strings(_parse_params(query, headers.get("content-type", ""), body))


def _token_of(headers: dict[str, str], params: dict[str, Any]) -> str | None:
    """The token sent as ``Authorization: Bearer …`` (preferred) or as a ``token`` parameter."""
    auth = headers.get("authorization", "")
    if auth.startswith("Bearer ") and auth[len("Bearer ") :].strip():
        return auth[len("Bearer ") :].strip()
    return params.get("token") or None


def _safe(predicate: Predicate, call: Call) -> bool:
    """Apply a predicate, treating lookup/type/value errors as "no match"."""
    try:
        return bool(predicate(call))
    except (LookupError, TypeError, ValueError):
        return False


def _parse_params(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Query-string parameters overlaid with a JSON or form-encoded body."""
    params: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if not body:
        return params
    text = body.decode("utf-8")
    if "json" in content_type:
        decoded = json.loads(text)
        if isinstance(decoded, dict):
            params.update(decoded)
    else:
        params.update(parse_qsl(text, keep_blank_values=True))
    return params


def _decode_json_strings(params: dict[str, Any]) -> dict[str, Any]:
    """Decode the parameters Slack accepts as JSON strings (form bodies carry them that way)."""
    for key in _JSON_STRING_PARAMS:
        value = params.get(key)
        if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
            with contextlib.suppress(json.JSONDecodeError):  # left as sent: the validators then report it
                params[key] = json.loads(value)
    return params


def _error(code: str, *messages: str) -> dict[str, Any]:
    """Slack's error shape, with ``response_metadata.messages`` when there are details."""
    answer: dict[str, Any] = {"ok": False, "error": code}
    if messages:
        answer["response_metadata"] = {"messages": [f"[ERROR] {m}" for m in messages]}
    return answer


def _conversation_for(channel: str) -> str:
    """Posting to a user id lands in the DM with that user, as on Slack."""
    return "D" + channel if channel[:1] in ("U", "W") else channel


def _message_error(p: dict[str, Any]) -> dict[str, Any] | None:
    """The error Slack gives for a message payload (chat.postMessage/update/postEphemeral), or None."""
    if not p.get("channel"):
        return _error("channel_not_found")
    if not p.get("text") and not p.get("blocks") and not p.get("attachments"):
        return _error("no_text")
    if len(str(p.get("text") or "")) > MAX_MESSAGE_TEXT:
        return _error("msg_too_long")
    problems = block_problems(p.get("blocks"), max_blocks=MAX_MESSAGE_BLOCKS)
    return _error("invalid_blocks", *problems) if problems else None


def _user_object(user_id: str, profile: dict[str, Any]) -> dict[str, Any]:
    """A ``users.info`` user object; ``tz_offset`` is the zone's current UTC offset in seconds."""
    tz = profile.get("tz", "UTC")
    now = datetime.now(ZoneInfo(tz))
    offset = now.utcoffset()
    real_name = profile.get("real_name", f"User {user_id}")
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": profile.get("name", user_id.lower()),
        "real_name": real_name,
        "deleted": profile.get("deleted", False),
        "is_bot": profile.get("is_bot", False),
        "tz": tz,
        "tz_label": now.tzname(),
        "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
        "profile": {
            "real_name": real_name,
            "display_name": profile.get("name", user_id.lower()),
            "email": profile.get("email", f"{user_id.lower()}@example.com"),
        },
    }


def _text_of(obj: Any) -> str:
    """The ``text`` of a text object (or ""), tolerant of malformed input."""
    return str(obj.get("text", "")) if isinstance(obj, dict) else ""


def block_problems(blocks: Any, *, max_blocks: int, pointer: str = "/blocks") -> list[str]:
    """Slack-style messages for Block Kit limit violations in ``blocks`` (empty list: valid).

    Checks: block count, missing type, duplicate block_id, section text/fields, header text,
    actions/context element counts, and button text/value/action_id lengths.
    """
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{pointer}]"]
    problems = []
    if len(blocks) > max_blocks:
        problems.append(f"no more than {max_blocks} items allowed [json-pointer:{pointer}]")
    seen_ids: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"{pointer}/{i}"
        if not isinstance(block, dict) or not block.get("type"):
            problems.append(f"missing required field: type [json-pointer:{where}]")
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in seen_ids:
                problems.append(f"duplicate block_id {block_id!r} [json-pointer:{where}/block_id]")
            seen_ids.add(block_id)
        problems.extend(_one_block_problems(block, where))
    return problems


def _one_block_problems(block: dict[str, Any], where: str) -> list[str]:
    """Limit violations inside one block."""
    problems = []
    kind = block["type"]
    if kind == "section":
        problems += _too_long(_text_of(block.get("text")), MAX_SECTION_TEXT, f"{where}/text/text")
        fields = block.get("fields") or []
        if len(fields) > MAX_SECTION_FIELDS:
            problems.append(f"no more than {MAX_SECTION_FIELDS} items allowed [json-pointer:{where}/fields]")
        for j, item in enumerate(fields):
            problems += _too_long(_text_of(item), MAX_FIELD_TEXT, f"{where}/fields/{j}/text")
        if isinstance(block.get("accessory"), dict):
            problems += _element_problems(block["accessory"], f"{where}/accessory")
    elif kind == "header":
        problems += _too_long(_text_of(block.get("text")), MAX_HEADER_TEXT, f"{where}/text/text")
    elif kind in ("actions", "context"):
        limit = MAX_ACTIONS_ELEMENTS if kind == "actions" else MAX_CONTEXT_ELEMENTS
        elements = block.get("elements") or []
        if len(elements) > limit:
            problems.append(f"no more than {limit} items allowed [json-pointer:{where}/elements]")
        if kind == "actions":
            for j, element in enumerate(elements):
                if isinstance(element, dict):
                    problems += _element_problems(element, f"{where}/elements/{j}")
    return problems


def _element_problems(element: dict[str, Any], where: str) -> list[str]:
    """Limit violations in an interactive element (buttons get their text/value checked)."""
    problems = _too_long(str(element.get("action_id") or ""), MAX_ACTION_ID, f"{where}/action_id")
    if element.get("type") == "button":
        problems += _too_long(_text_of(element.get("text")), MAX_BUTTON_TEXT, f"{where}/text/text")
        problems += _too_long(str(element.get("value") or ""), MAX_BUTTON_VALUE, f"{where}/value")
    return problems


def _too_long(value: str, limit: int, where: str) -> list[str]:
    """Slack's message for a string over its limit, or nothing."""
    return [f"must be less than {limit + 1} characters [json-pointer:{where}]"] if len(value) > limit else []


def view_problems(view: Any) -> list[str]:
    """Slack-style messages for an invalid view (modal or home tab); empty list: valid."""
    if not isinstance(view, dict):
        return ["view must be an object [json-pointer:/view]"]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [f"type must be modal or home, got {kind!r} [json-pointer:/view/type]"]
    problems = block_problems(view.get("blocks", []), max_blocks=MAX_VIEW_BLOCKS, pointer="/view/blocks")
    if kind == "modal":
        if not _text_of(view.get("title")):
            problems.append("missing required field: title [json-pointer:/view/title]")
        for key in ("title", "submit", "close"):
            problems += _too_long(_text_of(view.get(key)), MAX_VIEW_TITLE, f"/view/{key}/text")
    problems += _too_long(str(view.get("private_metadata") or ""), MAX_PRIVATE_METADATA, "/view/private_metadata")
    problems += _too_long(str(view.get("callback_id") or ""), MAX_ACTION_ID, "/view/callback_id")
    return problems


def tally(calls: Iterable[Call]) -> dict[str, int]:
    """How many calls of each method (handy in assertion messages)."""
    counts: dict[str, int] = {}
    for call in calls:
        counts[call.method] = counts.get(call.method, 0) + 1
    return counts
