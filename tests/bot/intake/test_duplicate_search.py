"""Duplicate detection reads the 90-day window through the term index, at a bounded cost (issue 10, item 7):
what it names is what scoring every request of the window would name."""

from __future__ import annotations

import random

from support import COMPLETE_VIDEO, SIMILAR, add_indexed

from bot.briefs.duplicates import CANDIDATES, WINDOW_DAYS, Candidate, find_duplicates
from bot.briefs.model import Brief
from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming, Reply, ReplyKind
from bot.services import Services
from bot.team.roster import Roster, sync_roster
from storage.db import Database


def say(convo: Conversation, text: str, user: str = "U9", channel: str = "D9") -> Reply:
    return convo.handle(Incoming(user, channel, text, "UTC"))


def named(convo: Conversation, db: Database, text: str = COMPLETE_VIDEO) -> list[str]:
    """The references the conversation names as possible duplicates of ``text``."""
    say(convo, text)
    with db.uow() as u:
        draft = u.drafts.get("U9", "D9")
        assert draft is not None
        return list(draft.pending.get("duplicates", []))


def test_a_similar_request_is_named_inside_the_window_and_not_after_it(convo: Conversation, db: Database) -> None:
    (old,) = add_indexed(db, [SIMILAR], days_ago=WINDOW_DAYS + 1)
    assert named(convo, db) == []
    say(convo, "cancel", "U9", "D9")
    (recent,) = add_indexed(db, [SIMILAR], days_ago=WINDOW_DAYS - 1)
    assert named(convo, db) == [recent]
    assert old != recent


def test_a_similar_request_behind_a_thousand_newer_ones_is_still_found(convo: Conversation, db: Database) -> None:
    (similar,) = add_indexed(db, [SIMILAR], days_ago=80)
    newer = [
        {**SIMILAR, "title": f"Video {n}", "objective": f"unrelated topic {n}", "audience": "x"} for n in range(1100)
    ]
    add_indexed(db, newer, days_ago=10)
    assert named(convo, db) == [similar]


def test_a_request_of_another_type_asking_the_same_is_named(convo: Conversation, db: Database) -> None:
    pre_roll = {
        "request_type": "display_ad",
        "channels": ["video_platforms"],
        "platforms": ["youtube"],
        "formats": ["16:9"],
    }
    (ref,) = add_indexed(db, [{**SIMILAR, **pre_roll}])
    assert named(convo, db) == [ref]


def test_a_cancelled_or_rejected_request_is_not_named_a_closed_one_is(convo: Conversation, db: Database) -> None:
    add_indexed(db, [SIMILAR], status="cancelled")
    add_indexed(db, [SIMILAR], status="rejected")
    assert named(convo, db) == []
    say(convo, "cancel")
    (closed,) = add_indexed(db, [SIMILAR], status="closed")
    assert named(convo, db) == [closed]


def test_a_request_retyped_by_ops_is_named_under_its_new_type(
    services: Services, convo: Conversation, db: Database
) -> None:
    sync_roster(db.uow, Roster(ops_managers=["U0OPS"], designers=[]))
    (ref,) = add_indexed(db, [{**SIMILAR, "request_type": "email"}])
    services.changes.perform("U0OPS", ref, "type", value="video")
    assert named(convo, db) == [ref]


def test_a_request_whose_answer_changed_its_brief_is_named_by_its_new_words(
    services: Services, convo: Conversation, db: Database
) -> None:
    sync_roster(db.uow, Roster(ops_managers=["U0OPS"], designers=[]))
    other = {**SIMILAR, "title": "Video: teaser", "objective": "win back lapsed buyers", "audience": "past buyers"}
    (ref,) = add_indexed(db, [other], requester_id="UREQ1")
    assert named(convo, db) == []
    say(convo, "cancel")
    services.changes.perform("U0OPS", ref, "ask", note="What is the goal?")
    services.changes.perform(
        "UREQ1", ref, "answer", note="Goal: drive sign-ups for the spring launch. Audience: marketing managers in DACH"
    )
    assert named(convo, db) == [ref]


def test_what_is_named_is_what_scoring_the_whole_window_names(convo: Conversation, db: Database) -> None:
    rng = random.Random(7)
    vocabulary = [
        "spring",
        "launch",
        "sign-ups",
        "drive",
        "teaser",
        "managers",
        "marketing",
        "dach",
        "summer",
        "sale",
        "webinar",
        "brand",
    ]

    def text(n: int) -> str:
        return " ".join(rng.sample(vocabulary, n))

    briefs = [
        {"request_type": "video", "title": f"Video: {text(3)}", "objective": text(4), "audience": text(2)}
        for _ in range(CANDIDATES - 10)
    ]
    refs = add_indexed(db, briefs, days_ago=5)
    say(convo, COMPLETE_VIDEO)
    with db.uow() as u:
        draft = u.drafts.get("U9", "D9")
        assert draft is not None
        brief = Brief.model_validate(draft.brief)
        everything = [
            Candidate.stored(ref, b["title"], "submitted", b)
            for ref, b in reversed(list(zip(refs, briefs, strict=True)))  # newest first, as the window was read
        ]
        expected = [c.ref for c in find_duplicates(brief, everything)]
        assert expected, "the data set should hold similar requests"
        assert draft.pending.get("duplicates") == expected


def test_a_submission_indexes_the_new_request(convo: Conversation, db: Database) -> None:
    say(convo, COMPLETE_VIDEO, "U1", "D1")
    assert say(convo, "submit", "U1", "D1").kind is ReplyKind.SUBMITTED
    assert named(convo, db) == ["CR-0001"]
