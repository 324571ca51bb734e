"""The ChatPort over slack_sdk's WebClient, with a cache for users' time zones."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.blocks.kit import MAX_MESSAGE_TEXT, clamp
from bot.platform.clock import Clock
from bot.delivery.ports import Blocks, DeliveryFailed, Target

log = logging.getLogger(__name__)
TZ_CACHE_TTL = timedelta(hours=6)
T = TypeVar("T")


class TimezoneCache:
    """users.info time zones, kept for a few hours (shared by every request of a process)."""

    def __init__(self, clock: Clock, fallback: str) -> None:
        self.clock, self.fallback = clock, fallback
        self._entries: dict[str, tuple[str, Any]] = {}
        self._lock = threading.Lock()

    def get(self, client: WebClient, user: str) -> str:
        """The user's time zone, asking Slack at most once per TTL."""
        now = self.clock.now()
        with self._lock:
            hit = self._entries.get(user)
        if hit and now - hit[1] < TZ_CACHE_TTL:
            return hit[0]
        try:
            tz = client.users_info(user=user)["user"].get("tz") or self.fallback
        except SlackApiError as exc:
            log.warning("users.info failed", extra={"user": user, "error": exc.response.get("error")})
            return self.fallback
        with self._lock:
            self._entries[user] = (tz, now)
        return tz


#: Slack errors that no retry will fix.
PERMANENT_ERRORS = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "invalid_blocks", "invalid_arguments", "msg_too_long",
    "no_text", "user_not_found", "user_disabled", "account_inactive", "invalid_auth", "not_authed",
    "token_revoked", "missing_scope", "cannot_dm_bot", "restricted_action", "channel_is_archived",
})


def _failure(method: str, exc: Exception) -> DeliveryFailed:
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error") or f"http_{exc.response.status_code}")
        return DeliveryFailed(method, error, error in PERMANENT_ERRORS)
    return DeliveryFailed(method, exc.__class__.__name__, False)


def _calling(method: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Turn slack_sdk and network errors of one Web API method into DeliveryFailed, logged once."""
    def wrap(function: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(function)
        def call(*args: Any, **kwargs: Any) -> T:
            try:
                return function(*args, **kwargs)
            except (SlackApiError, OSError) as exc:
                failure = _failure(method, exc)
                if (record := getattr(args[0], "on_error", None)) is not None:
                    record(method, failure.error)
                log.warning("slack api error", extra={"method": method, "error": failure.error,
                                                       "permanent": failure.permanent})
                raise failure from None
        return call
    return wrap


class WebClientPort:
    """ChatPort implementation for one Bolt request's client; failures surface as DeliveryFailed."""

    def __init__(self, client: WebClient, timezones: TimezoneCache,
                 on_error: Callable[[str, str], None] | None = None) -> None:
        self.client = client
        self.timezones = timezones
        self.on_error = on_error

    @_calling("chat.postMessage")
    def post(self, channel: str, text: str, blocks: Blocks | None = None, thread_ts: str | None = None,
             target: Target | None = None) -> str:
        response = self.client.chat_postMessage(channel=channel, text=clamp(text, MAX_MESSAGE_TEXT), blocks=blocks,
                                                thread_ts=thread_ts)
        return str(response["ts"])

    @_calling("chat.update")
    def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        self.client.chat_update(channel=channel, ts=ts, text=clamp(text, MAX_MESSAGE_TEXT), blocks=blocks or [])

    @_calling("chat.postEphemeral")
    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        self.client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)

    @_calling("conversations.open")
    def open_dm(self, user: str) -> str:
        return str(self.client.conversations_open(users=user)["channel"]["id"])

    def user_timezone(self, user: str) -> str:
        return self.timezones.get(self.client, user)

    @_calling("views.open")
    def open_view(self, trigger_id: str, view: dict[str, Any]) -> None:
        self.client.views_open(trigger_id=trigger_id, view=view)

    def permalink(self, channel: str, ts: str) -> str | None:
        try:
            return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except SlackApiError:
            return None

    @_calling("files.upload")
    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        self.client.files_upload_v2(channel=channel, filename=filename, content=content, title=title,
                                    initial_comment=comment)

    @_calling("views.publish")
    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        self.client.views_publish(user_id=user, view=view)
