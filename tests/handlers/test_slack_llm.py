"""The LLM engine behind Slack: one call per requester message at most, progress shown when slow, failures told."""

from __future__ import annotations

import json

from fakes.openai_server import VIDEO_PROPOSAL, FakeOpenAI, reply, status
from slack_harness import serving

from bot.platform.clock import FixedClock
from storage.db import Database

PROPOSAL = VIDEO_PROPOSAL


def test_one_llm_call_per_requester_message_and_none_for_commands(db: Database, clock: FixedClock) -> None:
    with FakeOpenAI() as llm:
        llm.responder = lambda request: reply(PROPOSAL)
        with serving(db, clock, openai_api_key="sk-test", openai_base_url=llm.base_url) as slack:
            messages = [
                "need a 30s youtube pre-roll, 16:9, due in 3 weeks",
                "help",
                "status",
                "goal: sign-ups, audience: marketers in DACH",
                "cancel",
            ]
            for count, text in enumerate(messages, start=1):
                slack.dm(text)
                slack.next_post("DU1", count=count)
            assert len(llm.requests) == 2
            first = json.dumps(llm.requests[0].body)
            assert "need a 30s youtube pre-roll" in first


def test_a_slow_answer_shows_that_the_bot_is_working_then_notifies_with_the_answer(
    db: Database, clock: FixedClock
) -> None:
    with FakeOpenAI(base_latency_s=3.0) as llm:  # over WORKING_AFTER_S
        llm.responder = lambda request: reply(PROPOSAL)
        with serving(db, clock, openai_api_key="sk-test", openai_base_url=llm.base_url) as slack:
            ack = slack.dm("need a 30s youtube pre-roll, 16:9, due in 3 weeks")
            assert ack.status == 200
            working = slack.next_post("DU1")
            assert "Working on it" in working.params["text"]
            answer = slack.next_post("DU1", count=2)  # a new message: Slack notifies for posts, not for edits
            assert "who is it for" in answer.params["text"]
            [deleted] = slack.fake.wait_for("chat.delete")
            assert (deleted.params["channel"], deleted.params["ts"]) == ("DU1", working.response["ts"])
            assert slack.fake.calls("chat.update") == []


def test_the_working_placeholder_speaks_the_requesters_language(db: Database, clock: FixedClock) -> None:
    with FakeOpenAI(base_latency_s=3.0) as llm:
        llm.responder = lambda request: reply(PROPOSAL)
        with serving(db, clock, openai_api_key="sk-test", openai_base_url=llm.base_url) as slack:
            slack.fake.set_user("U1", locale="de-DE")
            slack.dm("wir brauchen ein YouTube-Video, 30 Sekunden, in drei Wochen")
            assert slack.next_post("DU1").params["text"] == ":hourglass_flowing_sand: Ich bin dran…"
            slack.next_post("DU1", count=2)
            slack.fake.set_user("U2")  # no locale: the language of what was said
            slack.dm("necesitamos un vídeo de YouTube de 30 segundos para dentro de tres semanas", user="U2")
            assert slack.next_post("DU2").params["text"] == ":hourglass_flowing_sand: Estoy en ello…"


def test_an_llm_failure_degrades_to_rules_and_the_requester_is_told(db: Database, clock: FixedClock) -> None:
    with FakeOpenAI() as llm:
        llm.enqueue(status(500), status(500))
        with serving(db, clock, openai_api_key="sk-test", openai_base_url=llm.base_url) as slack:
            slack.dm("need a 30s youtube pre-roll, 16:9, due in 3 weeks")
            text = slack.next_post("DU1").params["text"]
            assert "built-in rules" in text and "who is it for" in text
            brief = slack.services.conversation.draft_brief("U1", "DU1")
            assert brief is not None and brief.request_type == "video"


def test_a_failing_llm_opens_the_breaker_and_ops_are_told_once(db: Database, clock: FixedClock) -> None:
    with FakeOpenAI() as llm:
        llm.responder = lambda request: status(500)
        with serving(db, clock, openai_api_key="sk-test", openai_base_url=llm.base_url) as slack:
            for n in range(7):
                slack.dm(f"need an email newsletter number {n}", user=f"U{n}")
                slack.next_post(f"DU{n}")
            alerts = slack.fake.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "C0OPS")
            assert "LLM is unavailable" in alerts[0].params["text"]
            assert len(llm.requests) == 10  # 5 analyses x 2 attempts; the sixth and seventh did not try the LLM
            slack.fake.quiesce(quiet=0.3)
            assert len(slack.posts("C0OPS")) == 1
