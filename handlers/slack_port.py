"""The ChatPort over slack_sdk's WebClient: cards rendered as Block Kit, failures as DeliveryFailed."""

from __future__ import annotations

import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.briefs.catalog import Catalog
from bot.delivery.cards import Card
from bot.delivery.ports import DeliveryFailed, Message, Posted, Target
from bot.platform.clock import Clock
from bot.platform.metrics import Metrics
from bot.platform.settings import Settings
from bot.platform.text import clamp_chat
from handlers.blocks.kit import MAX_MESSAGE_TEXT
from handlers.blocks.render import message_blocks, view

log = logging.getLogger(__name__)
TZ_CACHE_TTL = timedelta(hours=6)
#: People whose profile a process keeps at most; the least recently used is forgotten first.
TZ_CACHE_SIZE = 10_000
T = TypeVar("T")


class TimezoneCache:
    """users.info time zones and locales, kept for a few hours (shared by every request of a process)."""

    def __init__(self, clock: Clock, fallback: str, size: int = TZ_CACHE_SIZE) -> None:
        self.clock, self.fallback, self.size = clock, fallback, size
        self._entries: OrderedDict[str, tuple[str, str | None, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, user: str) -> str:
        """The user's time zone if it is known, else the fallback; never asks Slack (for acks)."""
        with self._lock:
            hit = self._entries.get(user)
        return hit[0] if hit else self.fallback

    def peek_locale(self, user: str) -> str | None:
        """The user's locale if it is known, else None; never asks Slack."""
        with self._lock:
            hit = self._entries.get(user)
        return hit[1] if hit else None

    def get(self, client: WebClient, user: str) -> str:
        """The user's time zone, asking Slack at most once per TTL; the fallback when Slack cannot say."""
        return self._profile(client, user)[0]

    def locale(self, client: WebClient, user: str) -> str | None:
        """The user's locale ("fr-FR"), asked with the time zone; None when Slack cannot say."""
        return self._profile(client, user)[1]

    def _profile(self, client: WebClient, user: str) -> tuple[str, str | None]:
        now = self.clock.now()
        with self._lock:
            hit = self._entries.get(user)
            if hit:
                self._entries.move_to_end(user)
        if hit and now - hit[2] < TZ_CACHE_TTL:
            return hit[0], hit[1]
        try:
            profile = client.users_info(user=user, include_locale=True)["user"]
        except (SlackApiError, OSError) as exc:  # OSError: refused connections, DNS, timeouts
            log.warning("users.info failed", extra={"user": user, "error": _failure("users.info", exc).error})
            return (hit[0], hit[1]) if hit else (self.fallback, None)
        tz, locale = profile.get("tz") or self.fallback, profile.get("locale") or None
        with self._lock:
            self._entries[user] = (tz, locale, now)
            self._entries.move_to_end(user)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return tz, locale


#: Slack errors that no retry will fix.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_blocks",
        "invalid_arguments",
        "msg_too_long",
        "no_text",
        "user_not_found",
        "user_disabled",
        "account_inactive",
        "invalid_auth",
        "not_authed",
        "token_revoked",
        "missing_scope",
        "cannot_dm_bot",
        "restricted_action",
        "channel_is_archived",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)
#: Slack's answers to an update of a message that can no longer be updated.
NOT_UPDATABLE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
#: The metadata event type that carries an outbox row's key on a post.
OUTBOX_EVENT = "creative_intake_outbox"
#: How many DM channel ids a process keeps (conversations.open answers the same id for a user every time).
DM_CACHE = 10_000
#: How many recent messages are searched for an outbox key (a crashed dispatcher's post is among the newest).
RECENT = 200


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
                log.warning(
                    "slack api error", extra={"method": method, "error": failure.error, "permanent": failure.permanent}
                )
                raise failure from None

        return call

    return wrap


class WebClientPort:
    """ChatPort implementation over a WebClient; failures surface as DeliveryFailed."""

    def __init__(
        self,
        client: WebClient,
        timezones: TimezoneCache,
        catalog: Catalog,
        on_error: Callable[[str, str], None] | None = None,
    ) -> None:
        self.client = client
        self.timezones = timezones
        self.catalog = catalog
        self.on_error = on_error
        self._dms: dict[str, str] = {}
        self._workspace: str | None = None

    @_calling("chat.postMessage")
    def post(
        self,
        channel: str,
        text: str,
        card: Card | None = None,
        thread_ts: str | None = None,
        target: Target | None = None,  # noqa: ARG002  (remembering the ts is the outbox's job)
    ) -> Posted:
        return self._post(channel, text, card, thread_ts)

    @_calling("chat.postMessage")
    def post_keyed(self, channel: str, text: str, card: Card | None, thread_ts: str | None, key: str) -> Posted:
        metadata = {"event_type": OUTBOX_EVENT, "event_payload": {"key": key}}
        return self._post(channel, text, card, thread_ts, metadata)

    def _post(self, channel: str, text: str, card: Card | None, thread_ts: str | None, metadata: Any = None) -> Posted:
        response = self.client.chat_postMessage(
            channel=channel,
            text=clamp_chat(text, MAX_MESSAGE_TEXT),
            blocks=message_blocks(card) if card else None,
            thread_ts=thread_ts,
            metadata=metadata,
        )
        return Posted(str(response.get("channel") or channel), str(response["ts"]))

    def find_keyed(self, channel: str, key: str, thread_ts: str | None) -> Posted | None:
        conversation = self.open_dm(channel) if channel[:1] in ("U", "W") else channel
        messages = self._recent(conversation, thread_ts)
        for message in messages:
            metadata = message.get("metadata") if isinstance(message, dict) else None
            if isinstance(metadata, dict) and (metadata.get("event_payload") or {}).get("key") == key:
                return Posted(conversation, str(message.get("ts")))
        return None

    @_calling("conversations.history")
    def _recent(self, channel: str, thread_ts: str | None) -> list[Any]:
        """The last RECENT messages of a channel (or the thread), with their metadata."""
        if thread_ts:
            response = self.client.conversations_replies(
                channel=channel, ts=thread_ts, include_all_metadata=True, limit=RECENT
            )
        else:
            response = self.client.conversations_history(channel=channel, include_all_metadata=True, limit=RECENT)
        return list(response.get("messages") or [])

    def signal(self, channel: str, text: str) -> Posted | None:
        try:
            return self.post(channel, text)
        except DeliveryFailed:
            return None  # logged; it only said that the bot is working

    def reply_to(self, channel: str, target: Target, text: str) -> None:  # noqa: ARG002
        """Slack alone cannot find a request's message: only the outbox port replies to a target."""
        raise DeliveryFailed("chat.postMessage", f"no message known for {target[0]}", permanent=True)

    @_calling("chat.delete")
    def delete(self, channel: str, ts: str) -> None:
        self.client.chat_delete(channel=channel, ts=ts)

    @_calling("chat.update")
    def update(
        self,
        channel: str,
        ts: str,
        text: str,
        card: Card | None = None,
        target: Target | None = None,  # noqa: ARG002  (finding the ts of a target is the outbox's job)
    ) -> None:
        self.client.chat_update(
            channel=channel, ts=ts, text=clamp_chat(text, MAX_MESSAGE_TEXT), blocks=message_blocks(card) if card else []
        )

    def replace_or_post(self, channel: str, ts: str, text: str, card: Card | None = None) -> None:
        try:
            self.update(channel, ts, text, card)
        except DeliveryFailed as failure:
            if failure.error not in NOT_UPDATABLE:
                raise
            self.post(channel, text, card)

    @_calling("chat.postEphemeral")
    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:
        self.client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)

    def open_dm(self, user: str) -> str:
        if (known := self._dms.get(user)) is not None:
            return known
        channel = self._open_dm(user)
        if len(self._dms) >= DM_CACHE:
            self._dms.clear()
        self._dms[user] = channel
        return channel

    @_calling("conversations.open")
    def _open_dm(self, user: str) -> str:
        return str(self.client.conversations_open(users=user)["channel"]["id"])

    def user_timezone(self, user: str) -> str:
        return self.timezones.get(self.client, user)

    def known_timezone(self, user: str) -> str:
        return self.timezones.peek(user)

    def user_locale(self, user: str) -> str | None:
        return self.timezones.locale(self.client, user)

    def known_locale(self, user: str) -> str | None:
        return self.timezones.peek_locale(user)

    @_calling("views.open")
    def open_form(self, trigger_id: str, form: Card) -> None:
        self.client.views_open(trigger_id=trigger_id, view=view(form, self.catalog))

    def permalink(self, channel: str, ts: str) -> str | None:
        """Built from the workspace's URL once Slack has given one permalink (``…/archives/C…/p…``)."""
        if self._workspace:
            return f"{self._workspace}archives/{channel}/p{ts.replace('.', '')}"
        try:
            link = self._permalink(channel, ts)
        except DeliveryFailed:
            return None  # logged; the message goes out without the link
        self._workspace = link.partition("archives/")[0] if "archives/" in link else None
        return link

    @_calling("chat.getPermalink")
    def _permalink(self, channel: str, ts: str) -> str:
        return str(self.client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])

    def message(self, channel: str, ts: str) -> Message | None:
        """``conversations.history`` at ``ts`` (inclusive, one message); a reply in a thread is not there, so
        then ``conversations.replies`` from ``ts`` (Slack lists the thread's parent first)."""
        try:
            found = self._history_at(channel, ts) or self._thread_from(channel, ts)
        except DeliveryFailed:
            return None  # logged; the person is told the message could not be read
        message = next((m for m in found if isinstance(m, dict) and m.get("ts") == ts), None)
        if message is None or not isinstance(message.get("user"), str):
            return None
        text, thread_ts = message.get("text"), message.get("thread_ts")
        return Message(
            message["user"], text if isinstance(text, str) else "", thread_ts if isinstance(thread_ts, str) else None
        )

    @_calling("conversations.history")
    def _history_at(self, channel: str, ts: str) -> list[Any]:
        response = self.client.conversations_history(channel=channel, latest=ts, inclusive=True, limit=1)
        return [m for m in response.get("messages") or [] if isinstance(m, dict) and m.get("ts") == ts]

    @_calling("conversations.replies")
    def _thread_from(self, channel: str, ts: str) -> list[Any]:
        response = self.client.conversations_replies(channel=channel, ts=ts, oldest=ts, inclusive=True, limit=2)
        return list(response.get("messages") or [])

    def channel_name(self, channel: str) -> str | None:
        try:
            info = self._channel_info(channel)
        except DeliveryFailed:
            return None  # logged; the brief names the channel by its link
        name = info.get("name") if isinstance(info, dict) else None
        return name if isinstance(name, str) and name else None

    @_calling("conversations.info")
    def _channel_info(self, channel: str) -> Any:
        return self.client.conversations_info(channel=channel).get("channel")

    @_calling("files.upload")
    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        self.client.files_upload_v2(
            channel=channel, filename=filename, content=content, title=title, initial_comment=comment
        )

    @_calling("views.publish")
    def publish_home(self, user: str, home: Card) -> None:
        self.client.views_publish(user_id=user, view=view(home, self.catalog))


#: Calls made before an ack get one try of at most this many seconds: a trigger id expires 3 s after the click.
ACK_CALL_TIMEOUT_S = 2


def quick_port(port: WebClientPort) -> WebClientPort:
    """The port for calls made before an ack: the same Slack, one try, ACK_CALL_TIMEOUT_S (failures raise)."""
    client = WebClient(
        token=port.client.token,
        base_url=port.client.base_url,
        timeout=ACK_CALL_TIMEOUT_S,
        retry_handlers=[],
        logger=port.client.logger,
    )
    return WebClientPort(client, port.timezones, port.catalog, port.on_error)


def web_client(settings: Settings) -> WebClient:
    """A WebClient for SLACK_API_URL that retries rate limits, 5xx and connection errors."""
    assert settings.slack_bot_token is not None
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def slack_port(settings: Settings, clock: Clock, metrics: Metrics, catalog: Catalog) -> WebClientPort:
    """The port straight to Slack: one client and one time-zone cache for the whole process."""
    return WebClientPort(
        web_client(settings), TimezoneCache(clock, settings.timezone), catalog, metrics.record_slack_error
    )
