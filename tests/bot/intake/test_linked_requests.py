"""Several deliverables in one ask become linked requests (SPEC 2.7), through the domain API."""

from __future__ import annotations

from datetime import date

from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming, Reply, ReplyKind
from storage.db import Database
from storage.repositories import Requests

ASK = (
    "We need a 30s video for YouTube and 3 Instagram posts for the spring launch, due in 4 weeks. "
    "Goal: drive sign-ups. Audience: marketing managers in DACH"
)


def say(convo: Conversation, text: str) -> Reply:
    return convo.handle(Incoming("U1", "D1", text, "UTC"))


def test_two_deliverables_become_two_briefs_sharing_what_is_common(convo: Conversation) -> None:
    reply = say(convo, ASK)
    assert "linked requests" in reply.text
    assert "YouTube video 30s" in reply.text and "3 Instagram posts" in reply.text
    assert reply.kind is ReplyKind.QUESTION and reply.text.count("?") <= 2


def _answered(convo: Conversation, reply: Reply, answers: dict[tuple[str, ...], str]) -> Reply:
    """Answer each question by the words it contains (each answer once), until the brief is shown."""
    for _ in range(len(answers)):
        if reply.kind is not ReplyKind.QUESTION:
            break
        question = reply.text.lower().rsplit("\n", 1)[-1]
        topic = next(t for t in answers if all(w in question for w in t))
        reply = say(convo, answers.pop(topic))
    return reply


def _to_confirm(convo: Conversation) -> Reply:
    answers = {("video", "size"): "16:9", ("posts", "size"): "square", ("copy",): "we'll provide the copy"}
    return _answered(convo, say(convo, ASK), answers)


def test_the_confirm_step_shows_every_brief_and_one_submit_sends_them_all(convo: Conversation, db: Database) -> None:
    confirm = _to_confirm(convo)
    assert confirm.kind is ReplyKind.CONFIRM, confirm.text
    assert "2 linked briefs" in confirm.text
    assert confirm.brief is not None and confirm.brief.request_type == "video"
    assert [b.request_type for b in confirm.linked] == ["social_graphic"]
    posts = confirm.linked[0]
    assert posts.quantity == "3" and posts.platforms == ["instagram"] and posts.duration is None
    assert confirm.brief.audience == posts.audience == "marketing managers in DACH"
    assert confirm.brief.deadline == posts.deadline
    done = say(convo, "submit")
    assert done.kind is ReplyKind.SUBMITTED
    assert done.request is not None and [r.ref for r in done.linked_requests] == ["CR-0002"]
    assert "CR-0001" in done.text and "CR-0002" in done.text
    with db.session() as s:
        stored = [Requests(s).by_ref(ref) for ref in ("CR-0001", "CR-0002")]
        assert [r.group_ref for r in stored if r] == ["CR-0001", "CR-0001"]
        assert [r.request_type for r in stored if r] == ["video", "social_graphic"]


def test_a_shared_field_changed_later_changes_every_linked_brief(convo: Conversation) -> None:
    _to_confirm(convo)
    confirm = say(convo, "actually the audience is HR leaders in the UK")
    assert confirm.kind is ReplyKind.CONFIRM
    assert confirm.brief is not None and confirm.brief.audience == "HR leaders in the UK"
    assert confirm.linked[0].audience == "HR leaders in the UK"


def test_also_another_deliverable_adds_a_linked_brief_and_keeps_the_first(convo: Conversation) -> None:
    say(convo, "3 Instagram posts for the spring sale, due Jan 20. Goal: drive sales. Audience: students")
    reply = say(convo, "also we need a 15 second video")
    assert "Added a linked request for the video 15s" in reply.text
    assert "Updated type" not in reply.text
    reply = _answered(
        convo,
        reply,
        {
            ("posts", "size"): "square",
            ("copy",): "we'll provide the copy",
            ("video", "where"): "YouTube",
            ("video", "size"): "16:9",
            ("rush",): "keep",
        },
    )
    assert reply.kind is ReplyKind.CONFIRM, reply.text
    assert reply.brief is not None and reply.brief.request_type == "social_graphic"
    assert reply.brief.quantity == "3" and reply.linked[0].duration == "15s"
    assert reply.linked[0].deadline == reply.brief.deadline == date(2027, 1, 20)


def test_one_deliverable_of_two_kinds_of_the_same_type_stays_one_request(convo: Conversation) -> None:
    reply = say(convo, "flyers and posters for the trade fair, due in 5 weeks")
    assert "linked" not in reply.text


def test_a_kind_of_work_named_in_the_goal_is_no_deliverable(convo: Conversation) -> None:
    reply = say(convo, "200 brochures for the waiting rooms, letter size, we want them to try a video visit next time")
    assert "linked" not in reply.text
    brief = convo.draft_brief("U1", "D1")
    assert brief is not None and brief.request_type == "print"


def test_an_answer_for_each_deliverable_goes_to_each(convo: Conversation) -> None:
    say(convo, ASK)
    reply = say(convo, "9:16 for the video, square for the posts")
    assert "Noted for the 3 Instagram posts: formats square." in reply.text
    assert "Noted: formats 9:16." in reply.text
    reply = say(convo, "we'll provide the copy")
    assert reply.kind is ReplyKind.CONFIRM, reply.text
    assert reply.brief is not None and reply.brief.formats == ["9:16"]
    assert reply.linked[0].formats == ["square"]


def test_a_question_both_deliverables_miss_is_asked_once_and_one_answer_serves_both(convo: Conversation) -> None:
    reply = say(convo, ASK.replace("for YouTube", "for YouTube ads"))
    while "formats" not in reply.text.lower() and reply.kind is ReplyKind.QUESTION:
        reply = say(convo, "not sure")
    assert "For the YouTube video 30s and 3 Instagram posts:" in reply.text, reply.text
    reply = say(convo, "9:16")
    reply = say(convo, "we'll provide the copy") if reply.kind is ReplyKind.QUESTION else reply
    assert reply.kind is ReplyKind.CONFIRM, reply.text
    assert reply.brief is not None and reply.brief.formats == reply.linked[0].formats == ["9:16"]


def test_a_deliverable_named_only_to_be_refused_is_no_linked_request(convo: Conversation) -> None:
    reply = say(convo, "I need a 30s video for YouTube, not an email, due in 5 weeks")
    assert "linked" not in reply.text


def test_each_deliverables_own_fields_in_the_first_message_go_to_it(convo: Conversation) -> None:
    reply = say(convo, ASK + ", 16:9 for the video, square for the posts, we'll provide the copy")
    assert reply.kind is ReplyKind.CONFIRM, reply.text
    assert reply.brief is not None and reply.brief.formats == ["16:9"]
    assert reply.linked[0].formats == ["square"]


def test_a_shared_field_left_open_or_a_day_accepted_is_never_asked_again_for_the_next_brief(
    convo: Conversation,
) -> None:
    reply = say(convo, "We need a 30s video for YouTube, 16:9, and 3 square Instagram posts, asap. Copy is ours.")
    assert "linked" in reply.text and "earliest standard date" in reply.text
    asked: list[str] = []
    for answer in ["yes", *["not sure"] * 6]:
        reply = say(convo, answer)
        asked.append(reply.text)
        if reply.kind is not ReplyKind.QUESTION:
            break
    assert reply.kind is ReplyKind.CONFIRM, asked
    assert len(asked) == 5, asked  # the day; objective and audience (once reworded), once for both; the briefs
    assert reply.brief is not None and reply.linked[0].deadline == reply.brief.deadline is not None
    assert reply.linked[0].objective == reply.brief.objective == "to be agreed"
