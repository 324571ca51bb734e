"""The intake conversation (SPEC 2.1) through the domain API, with the real rules engine and database."""

from __future__ import annotations

from datetime import date, timedelta

from support import COMPLETE_VIDEO, stored

from bot.analysis.analyzer import Analyzer
from bot.analysis.rules.engine import RulesEngine
from bot.briefs.catalog import Catalog
from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming, Reply, ReplyKind
from bot.platform.clock import FixedClock
from storage.db import Database
from storage.repositories import Audit, Drafts, Requests


def say(convo: Conversation, text: str, user: str = "U1", channel: str = "D1", tz: str = "UTC") -> Reply:
    return convo.handle(Incoming(user, channel, text, tz))


def test_asks_for_the_most_important_missing_field_and_never_for_what_it_has(convo: Conversation) -> None:
    reply = say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks")
    assert reply.kind is ReplyKind.QUESTION
    assert reply.assessment is not None
    assert reply.assessment.missing_fields[:2] == ["objective", "audience"]
    assert "achieve" in reply.text and "who is it for" in reply.text
    assert reply.text.count("?") <= 2
    assert "When do you need it" not in reply.text and "How long" not in reply.text


def test_full_conversation_to_submission(convo: Conversation, db: Database) -> None:
    first = say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks")
    assert first.kind is ReplyKind.QUESTION
    confirm = say(convo, "Goal: drive sign-ups for the spring launch. Audience: marketing managers in DACH")
    assert confirm.kind is ReplyKind.CONFIRM
    assert confirm.brief is not None and confirm.brief.deadline == date(2026, 3, 23)
    assert confirm.brief.title == "Drive sign-ups for the spring launch — YouTube video 30s"
    done = say(convo, "yes")
    assert done.kind is ReplyKind.SUBMITTED
    assert done.request is not None and done.request.ref == "CR-0001"
    assert "CR-0001" in done.text
    with db.session() as s:
        stored = Requests(s).by_ref("CR-0001")
        assert stored is not None and stored.status == "submitted"
        assert stored.request_type == "video" and {"video_platforms", "paid_ads"} <= set(stored.channels)
        assert stored.classified_by == "rules" and stored.rush is False
        assert [(e.old, e.new) for e in Audit(s).for_request(stored.id or 0)] == [("draft", "submitted")]
        assert Drafts(s).get("U1", "D1") is None


def test_a_bare_answer_fills_the_field_that_was_asked(convo: Conversation) -> None:
    say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks. Goal: drive sign-ups for the spring launch")
    reply = say(convo, "marketing managers in DACH")
    assert reply.kind is ReplyKind.CONFIRM
    assert reply.brief is not None and reply.brief.audience == "marketing managers in DACH"


def test_corrections_replace_earlier_values(convo: Conversation) -> None:
    assert say(convo, COMPLETE_VIDEO).kind is ReplyKind.CONFIRM
    reply = say(convo, "actually make the deadline March 27")
    assert reply.kind is ReplyKind.CONFIRM
    assert reply.brief is not None and reply.brief.deadline == date(2026, 3, 27)


def test_rush_deadline_is_flagged_with_the_earliest_standard_date_and_can_be_kept(convo: Conversation) -> None:
    reply = say(convo, COMPLETE_VIDEO.replace("due in 3 weeks", "due March 6"))
    assert reply.kind is ReplyKind.QUESTION
    assert "15 business days" in reply.text and "Mon 23 Mar 2026" in reply.text
    kept = say(convo, "keep")
    assert kept.kind is ReplyKind.CONFIRM
    assert kept.assessment is not None and kept.assessment.rush is True
    submitted = say(convo, "submit")
    assert submitted.request is not None and submitted.request.rush is True
    assert submitted.request.priority in {"high", "urgent"}


def test_rush_deadline_can_be_moved_to_the_earliest_standard_date(convo: Conversation) -> None:
    say(convo, COMPLETE_VIDEO.replace("due in 3 weeks", "due March 6"))
    moved = say(convo, "move")
    assert moved.kind is ReplyKind.CONFIRM
    assert moved.brief is not None and moved.brief.deadline == date(2026, 3, 23)
    assert moved.assessment is not None and moved.assessment.rush is False


def test_a_similar_recent_request_is_named_and_can_be_dropped(convo: Conversation) -> None:
    say(convo, COMPLETE_VIDEO)
    say(convo, "submit")
    reply = say(convo, COMPLETE_VIDEO, user="U2", channel="D2")
    assert reply.kind is ReplyKind.QUESTION
    assert "CR-0001" in reply.text and "submitted" in reply.text
    dropped = say(convo, "no", user="U2", channel="D2")
    assert dropped.kind is ReplyKind.CANCELLED
    assert say(convo, "submit", user="U2", channel="D2").kind is ReplyKind.HELP


def test_a_similar_request_confirmed_as_new_goes_on_and_records_the_duplicate(convo: Conversation) -> None:
    say(convo, COMPLETE_VIDEO)
    say(convo, "submit")
    say(convo, COMPLETE_VIDEO, user="U2", channel="D2")
    assert say(convo, "yes", user="U2", channel="D2").kind is ReplyKind.CONFIRM
    submitted = say(convo, "submit", user="U2", channel="D2")
    assert submitted.request is not None and submitted.request.duplicate_refs == ["CR-0001"]


def test_cancel_start_over_help_and_status(convo: Conversation) -> None:
    say(convo, "need an instagram carousel")
    assert say(convo, "Cancel").kind is ReplyKind.CANCELLED
    assert say(convo, "cancel").text == "There is no draft to cancel."
    say(convo, "need an instagram carousel")
    assert say(convo, "start over").kind is ReplyKind.CANCELLED
    assert "submit" in say(convo, "help").text
    assert say(convo, "status").text == "You have no open requests."
    say(convo, COMPLETE_VIDEO)
    say(convo, "submit")
    status = say(convo, "status")
    assert status.kind is ReplyKind.STATUS and "CR-0001" in status.text


def test_submit_of_an_incomplete_brief_says_what_is_missing(convo: Conversation, db: Database) -> None:
    say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks")
    reply = say(convo, "submit")
    assert reply.kind is ReplyKind.QUESTION and reply.text.startswith("The brief isn't complete yet.")
    with db.session() as s:
        assert list(Requests(s).all()) == []


def test_drafts_survive_a_restart(db: Database, catalog: Catalog, clock: FixedClock) -> None:
    before = Conversation(db.uow, Analyzer(catalog=catalog, rules=RulesEngine()), catalog, clock)
    say(before, "need a 30s youtube pre-roll, 16:9, due in 3 weeks")
    after = Conversation(db.uow, Analyzer(catalog=catalog, rules=RulesEngine()), catalog, clock)
    reply = say(after, "Goal: drive sign-ups for the spring launch. Audience: marketing managers in DACH")
    assert reply.kind is ReplyKind.CONFIRM


def test_drafts_expire_after_seven_silent_days_with_one_notice(convo: Conversation, clock: FixedClock) -> None:
    say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks")
    clock.advance(timedelta(days=6, hours=23))
    assert convo.expire_drafts() == []
    clock.advance(timedelta(hours=2))
    expired = convo.expire_drafts()
    assert [d.requester_id for d in expired] == ["U1"]
    assert convo.expire_drafts() == []
    assert convo.draft_brief("U1", "D1") is None


def test_a_stale_draft_is_replaced_with_a_notice_if_the_sweep_has_not_run(
    convo: Conversation, clock: FixedClock
) -> None:
    say(convo, "need a 30s youtube pre-roll, 16:9, due in 3 weeks")
    clock.advance(timedelta(days=8))
    reply = say(convo, "need an email newsletter")
    assert reply.notice is not None and "expired" in reply.notice
    assert reply.brief is None and convo.draft_brief("U1", "D1") is not None
    assert convo.draft_brief("U1", "D1").request_type == "email"  # type: ignore[union-attr]


def test_past_deadlines_are_asked_again(convo: Conversation) -> None:
    reply = say(convo, "need an email newsletter by 25.02.2026")
    assert reply.kind is ReplyKind.QUESTION and "in the past" in reply.text
    brief = convo.draft_brief("U1", "D1")
    assert brief is not None and brief.deadline is None


def test_dates_resolve_in_the_requesters_time_zone(convo: Conversation, clock: FixedClock) -> None:
    clock.set(clock.now().replace(hour=23, minute=30))  # Monday 23:30 UTC is already Tuesday in Tokyo
    say(convo, "need an email newsletter due tomorrow", tz="Asia/Tokyo")
    tokyo = convo.draft_brief("U1", "D1")
    say(convo, "need an email newsletter due tomorrow", user="U2", channel="D2", tz="America/New_York")
    new_york = convo.draft_brief("U2", "D2")
    assert tokyo is not None and tokyo.deadline == date(2026, 3, 4)
    assert new_york is not None and new_york.deadline == date(2026, 3, 3)


def test_files_become_assets(convo: Conversation) -> None:
    convo.handle(Incoming("U1", "D1", "need an email newsletter", files=["https://files.example/F1"]))
    brief = convo.draft_brief("U1", "D1")
    assert brief is not None and brief.assets == ["https://files.example/F1"]


def test_drafts_are_per_requester(convo: Conversation) -> None:
    say(convo, "need an email newsletter")
    say(convo, "need a 30s youtube pre-roll", user="U2", channel="D2")
    first, second = convo.draft_brief("U1", "D1"), convo.draft_brief("U2", "D2")
    assert first is not None and second is not None
    assert (first.request_type, second.request_type) == ("email", "video")


def test_a_request_keeps_when_its_draft_was_started(convo: Conversation, clock: FixedClock, db: Database) -> None:
    started = clock.now()
    convo.handle(Incoming("U1", "D1", "need a 30s youtube pre-roll, 16:9, due in 4 weeks"))
    clock.advance(timedelta(hours=3))
    convo.handle(Incoming("U1", "D1", "goal: sign-ups. audience: marketers in DACH"))
    reply = convo.handle(Incoming("U1", "D1", "submit"))
    assert reply.request is not None and reply.request.ref
    request = stored(db, reply.request.ref)
    assert (request.created_at, request.submitted_at) == (started, clock.now())


def test_a_field_not_understood_twice_is_left_open_instead_of_asked_a_third_time(convo: Conversation) -> None:
    say(convo, "besoin de 3 visuels pour Insta pour les soldes de Noël, pour le 10. c'est pour les familles du coin")
    say(convo, "faire venir du monde au centre le premier week-end des soldes")
    again, then = (say(convo, "je sais pas trop, ça dépend") for _ in range(2))
    assert again.assessment is not None and "formats" in again.assessment.missing_fields  # reworded once
    assert then.assessment is not None and "formats" not in then.assessment.missing_fields, then.text
    assert "tailles" not in then.text.split("\n")[-1]  # the next question is about something else
