"""The transactional outbox: rows written with the change that caused them, sent in order per conversation,
never twice (a post is found by its key after a dispatcher died), refusals told, request messages found."""

from __future__ import annotations

from datetime import timedelta

from fakes.slack_api import FakeSlackAPI
from support import OPS, add_request, stored

from bot.delivery.cards import Notice
from bot.delivery.outbox import Dispatcher, OutboxPort
from bot.platform.clock import FixedClock
from bot.requests.home import HomeView
from bot.services import Services
from storage.repositories import GIVEN_UP, SENT, SUPERSEDED


def parts(services: Services) -> tuple[OutboxPort, Dispatcher]:
    assert services.chat is not None
    port = OutboxPort(services.chat.inner, services.uow, services.clock)
    return port, Dispatcher(services.uow, services.chat.inner, services.clock, OPS)


def texts(fake: FakeSlackAPI, channel: str) -> list[str]:
    return [c.params["text"] for c in fake.calls("chat.postMessage") if c.ok and c.params["channel"] == channel]


def test_nothing_is_sent_until_the_transaction_commits_and_nothing_when_it_rolls_back(
    services: Services, fake_slack: FakeSlackAPI
) -> None:
    port, dispatcher = parts(services)
    try:
        with services.uow.transaction():
            port.post("DU1", "lost with its change")
            raise RuntimeError
    except RuntimeError:
        pass
    with services.uow.transaction():
        port.post("DU1", "kept with its change")
        assert dispatcher.run_one() is None  # not committed yet: not there to send
    assert dispatcher.drain() == {SENT: 1}
    assert texts(fake_slack, "DU1") == ["kept with its change"]


def test_one_conversations_rows_go_in_order_even_when_the_first_must_wait(
    services: Services, fake_slack: FakeSlackAPI
) -> None:
    port, dispatcher = parts(services)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    fake_slack.fail_next("chat.postMessage", error="internal_error", channel="DU1")
    for text in ("first", "second"):
        port.post("DU1", text)
    port.post("DU2", "elsewhere")
    assert dispatcher.drain() == {"retry": 1, SENT: 1}  # "second" waits behind "first"; DU2 does not
    assert texts(fake_slack, "DU1") == [] and texts(fake_slack, "DU2") == ["elsewhere"]
    clock.advance(timedelta(seconds=2))
    assert dispatcher.drain() == {SENT: 2}
    assert texts(fake_slack, "DU1") == ["first", "second"]


def test_a_post_slack_took_before_the_dispatcher_died_is_found_by_its_key_not_posted_again(
    services: Services, fake_slack: FakeSlackAPI
) -> None:
    port, dispatcher = parts(services)
    clock = services.clock
    assert isinstance(clock, FixedClock)
    ref = add_request(services.db)
    port.post(OPS, "the triage card", Notice(text="card"), target=(ref, "triage"))
    with services.uow() as u:  # a dispatcher leased it and posted it, then died before recording the ts
        [row] = u.outbox.claim_many(clock.now(), "dead", clock.now() + timedelta(seconds=15), 1)
        assert row.key
    assert services.chat is not None
    posted = services.chat.inner.post_keyed(OPS, row.text, None, None, row.key)
    clock.advance(timedelta(seconds=16))
    assert dispatcher.drain() == {SENT: 1}
    assert texts(fake_slack, OPS) == ["the triage card"]  # once
    assert (stored(services.db, ref).triage_channel, stored(services.db, ref).triage_ts) == tuple(posted)


def test_a_change_made_before_its_message_was_posted_updates_that_message_once_it_is(
    services: Services, fake_slack: FakeSlackAPI
) -> None:
    port, dispatcher = parts(services)
    ref = add_request(services.db)
    port.post(OPS, "posted", target=(ref, "triage"))
    port.update(OPS, "", "approved", target=(ref, "triage"))
    port.reply_to(OPS, (ref, "triage"), "in its thread")
    assert dispatcher.drain() == {SENT: 3}
    ts = stored(services.db, ref).triage_ts
    (update,) = fake_slack.calls("chat.update")
    assert (update.params["ts"], update.params["text"]) == (ts, "approved")
    reply = fake_slack.calls("chat.postMessage")[-1]
    assert (reply.params["text"], reply.params["thread_ts"]) == ("in its thread", ts)
    assert stored(services.db, ref).triage_ts == ts  # the reply is not remembered as the message


def test_a_home_publish_superseded_by_a_newer_one_is_skipped(services: Services, fake_slack: FakeSlackAPI) -> None:
    port, dispatcher = parts(services)
    for _ in range(3):
        port.publish_home("U1", HomeView(sections=[]))
    assert dispatcher.drain() == {SUPERSEDED: 2, SENT: 1}
    assert len(fake_slack.calls("views.publish")) == 1


def test_a_permanent_refusal_is_given_up_at_once_and_ops_told(services: Services, fake_slack: FakeSlackAPI) -> None:
    port, dispatcher = parts(services)
    fake_slack.fail_next("chat.postMessage", error="channel_not_found", channel="C9")
    port.post("C9", "to a channel that is gone")
    assert dispatcher.drain() == {GIVEN_UP: 1}
    (alert,) = texts(fake_slack, OPS)
    assert "channel_not_found" in alert and "to a channel that is gone" in alert
