"""The Slack test infrastructure itself: the fake Web API and the signed-request helpers."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from urllib.error import HTTPError
from zoneinfo import ZoneInfo

import pytest
from slack_bolt import Ack, App, BoltRequest, Respond, Say
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_requests import (
    app_mention_event,
    block_actions,
    event_callback,
    message_event,
    send_command,
    send_event,
    send_interaction,
    serve_wsgi,
    shortcut,
    sign,
    url_verification,
    view_submission,
)
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.webhook import WebhookClient

from fakes.slack_api import FakeSlackAPI

SECRET = "test-signing-secret"
TOKEN = "xoxb-test"


@pytest.fixture
def slack() -> Iterator[FakeSlackAPI]:
    """A running fake Slack Web API."""
    with FakeSlackAPI() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlackAPI) -> WebClient:
    """A WebClient pointed at the fake (no retry handlers beyond slack_sdk's defaults)."""
    return WebClient(token=TOKEN, base_url=slack.base_url)


def section(text: str) -> dict:
    """A mrkdwn section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(label: str, action_id: str = "go") -> dict:
    """An actions block with one button."""
    return {
        "type": "actions",
        "elements": [
            {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": label}, "value": "v"}
        ],
    }


def modal(title: str = "New request", blocks: list | None = None) -> dict:
    """A minimal modal view."""
    return {
        "type": "modal",
        "callback_id": "intake",
        "title": {"type": "plain_text", "text": title},
        "private_metadata": "draft-1",
        "blocks": blocks if blocks is not None else [section("hi")],
    }


# ---------------------------------------------------------------------- the fake Web API


def test_post_message_records_decoded_blocks_and_answers_like_slack(slack: FakeSlackAPI, client: WebClient) -> None:
    blocks = [section("*Brief*"), button("Submit")]
    first = client.chat_postMessage(channel="C1", text="brief", blocks=blocks)
    second = client.chat_postMessage(channel="C1", text="again")

    assert first["ok"] and first["channel"] == "C1"
    assert first["message"]["user"] == "UBOT" and first["message"]["bot_id"] == "BBOT"
    assert first["message"]["blocks"] == blocks
    assert float(second["ts"]) > float(first["ts"])
    [call, _] = slack.calls("chat.postMessage")
    assert call.params["blocks"] == blocks
    assert call.headers["authorization"] == f"Bearer {TOKEN}" and call.token == TOKEN
    assert slack.message("C1", first["ts"])["text"] == "brief"


def test_form_encoded_json_parameters_are_decoded(slack: FakeSlackAPI, client: WebClient) -> None:
    blocks = [section("form")]
    client.api_call("chat.postMessage", params={"channel": "C1", "blocks": json.dumps(blocks)})

    [call] = slack.calls("chat.postMessage")
    assert call.params["blocks"] == blocks
    assert b"blocks=" in call.body


def test_chat_update_changes_the_stored_message_and_rejects_user_ids(slack: FakeSlackAPI, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U7", text="v1")
    assert posted["channel"] == "DU7"

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="v2", blocks=[section("v2")])
    assert slack.message("DU7", posted["ts"])["blocks"] == [section("v2")]
    with pytest.raises(SlackApiError) as error:
        client.chat_update(channel="U7", ts=posted["ts"], text="v3")
    assert error.value.response["error"] == "channel_not_found"


def test_users_info_returns_the_configured_time_zone(slack: FakeSlackAPI, client: WebClient) -> None:
    slack.set_user("U1", tz="Europe/Berlin", real_name="Rita Requester")

    user = client.users_info(user="U1")["user"]
    assert user["tz"] == "Europe/Berlin" and user["real_name"] == "Rita Requester"
    expected_offset = datetime.now(ZoneInfo("Europe/Berlin")).utcoffset().total_seconds()
    assert user["tz_offset"] == expected_offset
    assert client.users_info(user="U2")["user"]["tz"] == "UTC"


def test_unknown_users_can_be_not_found(slack: FakeSlackAPI, client: WebClient) -> None:
    slack.strict_users = True
    slack.set_user("U1")
    assert client.users_info(user="U1")["ok"]
    with pytest.raises(SlackApiError) as error:
        client.users_info(user="U404")
    assert error.value.response["error"] == "user_not_found"


def test_conversations_open_gives_a_dm_channel(client: WebClient) -> None:
    assert client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    assert client.conversations_info(channel="DU1")["channel"]["is_im"] is True


def test_views_open_echoes_the_view_and_the_fake_validates_views(slack: FakeSlackAPI, client: WebClient) -> None:
    opened = client.views_open(trigger_id="1.T1.abc", view=modal())
    assert opened["view"]["id"].startswith("V")
    assert opened["view"]["callback_id"] == "intake" and opened["view"]["private_metadata"] == "draft-1"
    assert slack.calls("views.open")[0].params["view"]["title"]["text"] == "New request"

    with pytest.raises(SlackApiError) as error:
        client.views_open(trigger_id="1.T1.abc", view=modal(title="x" * 25))
    assert error.value.response["error"] == "invalid_arguments"
    assert "/view/title/text" in error.value.response["response_metadata"]["messages"][0]

    home = {"type": "home", "blocks": [section(str(i)) for i in range(100)]}
    assert client.views_publish(user_id="U1", view=home)["ok"]
    home["blocks"].append(section("one too many"))
    with pytest.raises(SlackApiError):
        client.views_publish(user_id="U1", view=home)


def test_views_push_and_update_keep_the_view_id(client: WebClient) -> None:
    pushed = client.views_push(trigger_id="1.T1.abc", view=modal())["view"]
    updated = client.views_update(view_id=pushed["id"], view=modal(title="Delivered"))["view"]
    assert updated["id"] == pushed["id"] and updated["title"]["text"] == "Delivered"


def test_ephemeral_and_permalink(client: WebClient) -> None:
    assert client.chat_postEphemeral(channel="C1", user="U1", text="only you")["message_ts"]
    link = client.chat_getPermalink(channel="C1", message_ts="1700000000.000100")["permalink"]
    assert link == "https://t1.slack.com/archives/C1/p1700000000000100"


@pytest.mark.parametrize(
    ("blocks", "pointer"),
    [
        ([section(str(i)) for i in range(51)], "/blocks]"),
        ([section("x" * 3001)], "/blocks/0/text/text"),
        ([button("x" * 76)], "/blocks/0/elements/0/text/text"),
        ([{**section("a"), "block_id": "b"}, {**section("b"), "block_id": "b"}], "/blocks/1/block_id"),
    ],
)
def test_oversized_blocks_are_rejected(client: WebClient, blocks: list, pointer: str) -> None:
    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert error.value.response["error"] == "invalid_blocks"
    assert any(pointer in m for m in error.value.response["response_metadata"]["messages"])


def test_blocks_at_the_limits_are_accepted(client: WebClient) -> None:
    assert client.chat_postMessage(channel="C1", text="t", blocks=[section(str(i)) for i in range(50)])["ok"]
    assert client.chat_postMessage(channel="C1", text="t", blocks=[section("x" * 3000), button("y" * 75)])["ok"]


def test_files_upload_v2_completes_end_to_end(slack: FakeSlackAPI, client: WebClient) -> None:
    result = client.files_upload_v2(
        content=b"\x89PNG fake chart", filename="report.png", channel="C1", title="Weekly report"
    )

    assert result["file"]["title"] == "Weekly report" and result["file"]["channels"] == ["C1"]
    [upload] = slack.calls("upload")
    assert upload.body == b"\x89PNG fake chart"
    [complete] = slack.calls("files.completeUploadExternal")
    assert complete.params["files"][0]["id"] == upload.params["file_id"] == result["file"]["id"]


def test_failed_upload_surfaces_as_a_urllib_http_error(slack: FakeSlackAPI, client: WebClient) -> None:
    """slack_sdk does not wrap a failed upload POST: callers must catch urllib's HTTPError too."""
    slack.fail_next("upload", status=500)
    with pytest.raises(HTTPError):
        client.files_upload_v2(content=b"data", filename="a.txt", channel="C1")
    assert slack.calls("files.completeUploadExternal") == []


def test_injected_rate_limit_surfaces_as_slack_api_error(slack: FakeSlackAPI, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as error:
        client.chat_postMessage(channel="C1", text="t")
    assert error.value.response.status_code == 429
    assert error.value.response.headers["Retry-After"] == "7"
    assert error.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="C1", text="t")["ok"]


def test_rate_limit_retry_handler_retries_and_succeeds(slack: FakeSlackAPI) -> None:
    retrying = WebClient(
        token=TOKEN, base_url=slack.base_url, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)]
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=0)

    assert retrying.chat_postMessage(channel="C1", text="t")["ok"]
    assert [c.status for c in slack.calls("chat.postMessage")] == [429, 200]


def test_ok_false_failures_and_server_errors(slack: FakeSlackAPI, client: WebClient) -> None:
    slack.fail_next("chat.postMessage", error="channel_not_found", times=2)
    slack.fail_next("chat.postMessage", status=500)

    errors = []
    for _ in range(3):
        with pytest.raises(SlackApiError) as error:
            client.chat_postMessage(channel="C1", text="t")
        errors.append((error.value.response.status_code, error.value.response["error"]))
    assert errors == [(200, "channel_not_found"), (200, "channel_not_found"), (500, "internal_error")]
    assert client.chat_postMessage(channel="C1", text="t")["ok"]


def test_missing_token_is_invalid_auth(slack: FakeSlackAPI) -> None:
    with pytest.raises(SlackApiError) as error:
        WebClient(base_url=slack.base_url).auth_test()
    assert error.value.response["error"] == "invalid_auth"


def test_latency_delays_the_answer_but_the_call_is_seen_at_once(slack: FakeSlackAPI, client: WebClient) -> None:
    slack.set_latency(0.3, "auth.test")
    with ThreadPoolExecutor(1) as pool:
        started = time.monotonic()
        pending = pool.submit(client.auth_test)
        slack.wait_for("auth.test")
        assert not pending.done()
        assert pending.result()["ok"]
    assert time.monotonic() - started >= 0.3


def test_wait_for_times_out_with_a_readable_summary(slack: FakeSlackAPI, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="hello")
    with pytest.raises(AssertionError) as error:
        slack.wait_for("chat.postMessage", lambda c: c.params["channel"] == "C2", timeout=0.1)
    message = str(error.value)
    assert "expected 1 chat.postMessage" in message and "chat.postMessage x1" in message and '"C1"' in message


def test_wait_for_wakes_on_calls_from_other_threads(slack: FakeSlackAPI, client: WebClient) -> None:
    threads = [
        threading.Thread(target=client.chat_postMessage, kwargs={"channel": "C1", "text": str(i)}) for i in range(3)
    ]
    for thread in threads:
        thread.start()
    calls = slack.wait_for("chat.postMessage", count=3)
    for thread in threads:
        thread.join()
    assert sorted(c.params["text"] for c in calls) == ["0", "1", "2"]


def test_assert_no_call_and_quiesce(slack: FakeSlackAPI, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="once")
    slack.assert_no_call("chat.postMessage", lambda c: c.params["channel"] == "C2", quiet=0.05)
    with pytest.raises(AssertionError, match="expected no chat.postMessage"):
        slack.assert_no_call("chat.postMessage", quiet=0)


def test_reactions_add_twice_is_already_reacted(client: WebClient) -> None:
    client.reactions_add(channel="C1", timestamp="1.0", name="eyes")
    with pytest.raises(SlackApiError) as error:
        client.reactions_add(channel="C1", timestamp="1.0", name="eyes")
    assert error.value.response["error"] == "already_reacted"


def test_response_url_posts_are_recorded(slack: FakeSlackAPI) -> None:
    url = slack.hook_url()
    assert WebhookClient(url).send(text="done", replace_original=True).status_code == 200
    [call] = slack.calls("response_url")
    assert call.params == {"text": "done", "replace_original": True}


# ---------------------------------------------------------------------- signed requests into Bolt


def test_signature_matches_slack_sdk_verifier() -> None:
    body = json.dumps(url_verification())
    now = int(time.time())
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(body, str(now), sign(SECRET, now, body))
    assert not verifier.is_valid(body, str(now), sign("wrong", now, body))


def bolt_app(slack: FakeSlackAPI, *, process_before_response: bool = False) -> App:
    """A Bolt app wired to the fake: its auth.test at init goes to the fake too."""
    return App(
        client=WebClient(token=TOKEN, base_url=slack.base_url),
        signing_secret=SECRET,
        process_before_response=process_before_response,
    )


@pytest.fixture
def bolt_url(slack: FakeSlackAPI) -> Iterator[str]:
    """A small Bolt app over real HTTP, with one listener per kind of request."""
    app = bolt_app(slack)

    @app.event("message")
    def on_message(event: dict, say: Say, request: BoltRequest) -> None:
        retry = request.headers.get("x-slack-retry-num", ["-"])[0]
        say(text=f"echo {event['text']} retry={retry}")

    @app.event("app_mention")
    def on_mention(event: dict, client: WebClient) -> None:
        client.reactions_add(channel=event["channel"], timestamp=event["ts"], name="eyes")

    @app.action("approve")
    def on_approve(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        client.chat_update(
            channel=body["channel"]["id"],
            ts=body["message"]["ts"],
            text=f"approved by {body['user']['id']} ({body['actions'][0]['value']})",
        )

    @app.action("assign")
    def on_assign(ack: Ack, body: dict, say: Say) -> None:
        ack()
        say(text=f"assigned to {body['actions'][0]['selected_user']}")

    @app.view("intake")
    def on_submit(ack: Ack, view: dict) -> None:
        title = view["state"]["values"]["title"]["title"]["value"]
        if not title:
            ack(response_action="errors", errors={"title": "A title is required"})
            return
        ack()

    @app.shortcut("new_request")
    def on_shortcut(ack: Ack, shortcut: dict, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=shortcut["trigger_id"], view=modal())

    @app.command("/creative-request")
    def on_command(ack: Ack, command: dict, respond: Respond) -> None:
        ack(text="On it")
        respond(text=f"you asked: {command['text']}")

    with serve_wsgi(SlackRequestHandler(app)) as url:
        yield url


def test_bolt_app_verifies_its_token_against_the_fake_at_init(slack: FakeSlackAPI, bolt_url: str) -> None:
    [call] = slack.calls("auth.test")
    assert call.token == TOKEN


def test_signed_event_is_acked_and_the_listener_posts(slack: FakeSlackAPI, bolt_url: str) -> None:
    result = send_event(bolt_url, SECRET, event_callback(message_event("hello", channel="D1")))

    assert result.status == 200
    [call] = slack.wait_for("chat.postMessage", lambda c: c.params["text"] == "echo hello retry=-")
    assert call.params["channel"] == "D1" and call.params["team_id"] == "T1"


def test_retried_events_reach_listeners_with_their_retry_headers(slack: FakeSlackAPI, bolt_url: str) -> None:
    payload = event_callback(message_event("again"))
    send_event(bolt_url, SECRET, payload)
    result = send_event(bolt_url, SECRET, payload, retry_num=1, retry_reason="http_timeout")

    assert result.status == 200
    texts = {c.params["text"] for c in slack.wait_for("chat.postMessage", count=2)}
    assert texts == {"echo again retry=-", "echo again retry=1"}


def test_bad_signature_is_rejected(slack: FakeSlackAPI, bolt_url: str) -> None:
    result = send_event(bolt_url, "not-the-secret", event_callback(message_event("forged")))
    assert result.status == 401
    slack.assert_no_call("chat.postMessage", quiet=0.1)


def test_stale_timestamp_is_rejected(bolt_url: str) -> None:
    stale = int(time.time()) - 6 * 60
    assert send_event(bolt_url, SECRET, event_callback(message_event("old")), timestamp=stale).status == 401
    assert send_event(bolt_url, SECRET, url_verification(), timestamp=stale).status == 401


def test_url_verification_returns_the_challenge(bolt_url: str) -> None:
    result = send_event(bolt_url, SECRET, url_verification("xyz"))
    assert result.status == 200 and result.json() == {"challenge": "xyz"}


def test_events_without_a_listener_get_404_from_bolt(bolt_url: str) -> None:
    result = send_event(bolt_url, SECRET, event_callback({"type": "reaction_added", "user": "U1"}))
    assert result.status == 404


def test_own_messages_are_ignored_by_bolt(slack: FakeSlackAPI, bolt_url: str) -> None:
    own = message_event("from the bot", user="UBOT")
    assert send_event(bolt_url, SECRET, event_callback(own)).status == 200
    send_event(bolt_url, SECRET, event_callback(message_event("from a human")))
    slack.wait_for("chat.postMessage", lambda c: "from a human" in c.params["text"])
    slack.assert_no_call("chat.postMessage", lambda c: "from the bot" in c.params["text"], quiet=0.1)


def test_app_mention_listener_reacts(slack: FakeSlackAPI, bolt_url: str) -> None:
    event = app_mention_event("<@UBOT> new video please", channel="C9")
    assert send_event(bolt_url, SECRET, event_callback(event)).status == 200
    [call] = slack.wait_for("reactions.add")
    assert call.params == {"channel": "C9", "timestamp": event["ts"], "name": "eyes", "team_id": "T1"}


def test_button_click_updates_the_message(slack: FakeSlackAPI, bolt_url: str) -> None:
    payload = block_actions(
        "approve", user_id="U0OPS01", channel_id="C1", message_ts="1700000000.000100", value="CR-0001"
    )
    assert send_interaction(bolt_url, SECRET, payload).status == 200
    [call] = slack.wait_for("chat.update")
    assert call.params["ts"] == "1700000000.000100"
    assert call.params["text"] == "approved by U0OPS01 (CR-0001)"


def test_user_select_action(slack: FakeSlackAPI, bolt_url: str) -> None:
    assert send_interaction(bolt_url, SECRET, block_actions("assign", selected_user="U0DES01")).status == 200
    slack.wait_for("chat.postMessage", lambda c: c.params["text"] == "assigned to U0DES01")


def test_view_submission_errors_come_back_in_the_ack(bolt_url: str) -> None:
    empty = view_submission("intake", {"title": {"title": {"type": "plain_text_input", "value": None}}})
    result = send_interaction(bolt_url, SECRET, empty)
    assert result.status == 200
    assert result.json() == {"response_action": "errors", "errors": {"title": "A title is required"}}

    filled = view_submission("intake", {"title": {"title": {"type": "plain_text_input", "value": "Launch"}}})
    ok = send_interaction(bolt_url, SECRET, filled)
    assert ok.status == 200 and ok.body == ""


def test_global_shortcut_opens_a_modal_with_its_trigger(slack: FakeSlackAPI, bolt_url: str) -> None:
    payload = shortcut("new_request", trigger_id="42.T1.trigger")
    assert send_interaction(bolt_url, SECRET, payload).status == 200
    [call] = slack.wait_for("views.open")
    assert call.params["trigger_id"] == "42.T1.trigger" and call.params["view"]["callback_id"] == "intake"


def test_slash_command_acks_and_responds(slack: FakeSlackAPI, bolt_url: str) -> None:
    result = send_command(bolt_url, SECRET, text="a banner", response_url=slack.hook_url())
    assert result.status == 200 and result.body == "On it"
    [call] = slack.wait_for("response_url")
    assert call.params["text"] == "you asked: a banner"


def test_wsgi_server_serves_requests_concurrently(slack: FakeSlackAPI) -> None:
    """Two acks that can only complete together: a single-threaded server would deadlock here."""
    app = bolt_app(slack, process_before_response=True)
    barrier = threading.Barrier(2, timeout=5)

    @app.command("/creative-request")
    def both_at_once(ack: Ack) -> None:
        barrier.wait()
        ack()

    with serve_wsgi(SlackRequestHandler(app)) as url, ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: send_command(url, SECRET, text="x"), range(2)))
    assert [r.status for r in results] == [200, 200]


def test_history_reads_one_message_at_latest_and_replies_read_a_reply_in_its_thread(
    slack: FakeSlackAPI, client: WebClient
) -> None:
    first = slack.put_message("C1", "first")
    second = slack.put_message("C1", "second &amp; more", user="U2")
    reply = slack.put_message("C1", "a reply", thread_ts=first)
    slack.put_message("C1", "a later reply", thread_ts=first)
    one = client.conversations_history(channel="C1", latest=first, inclusive=True, limit=1)["messages"]
    assert [m["text"] for m in one] == ["first"]
    assert client.conversations_history(channel="C1", latest=second, limit=1)["messages"][0]["ts"] == first
    assert client.conversations_history(channel="C1", latest=reply, inclusive=True, limit=1)["messages"][0]["ts"] == (
        second
    )  # a reply in a thread is not in the channel's history
    thread = client.conversations_replies(channel="C1", ts=reply, oldest=reply, inclusive=True, limit=2)["messages"]
    assert [m["text"] for m in thread] == ["first", "a reply"]  # the parent first, like Slack
    assert slack.message("C1", second)["user"] == "U2"
