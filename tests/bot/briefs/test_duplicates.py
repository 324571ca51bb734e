"""Possible duplicates are found by what was asked (SPEC 2.1, issue 13 item 7): the words, the deliverable, the
campaign, the markets and the dates; among everyone's open and recently closed requests."""

from __future__ import annotations

from datetime import date
from typing import Any

from support import COMPLETE_VIDEO, SIMILAR, add_indexed

from bot.briefs.duplicates import THRESHOLD, WINDOW_DAYS, Candidate, find_duplicates, similarity
from bot.briefs.model import Brief
from bot.intake.conversation import Conversation
from bot.intake.messages import Incoming
from storage.db import Database

BANNERS: dict[str, Any] = {
    "request_type": "display_ad",
    "channels": ["paid_ads"],
    "title": "Display ad: Black Friday Google Display banners",
    "objective": "drive traffic to the Black Friday deals page",
    "audience": "past purchasers and cart abandoners",
    "campaign": "Black Friday",
    "platforms": ["google_ads"],
    "formats": ["300x250", "728x90", "160x600"],
    "deadline": "2026-11-20",
}
#: The same banners asked again in other words, and classified as social posts this time.
BANNERS_AGAIN = Brief(
    request_type="social_graphic",
    channels=["paid_ads", "social"],
    title="Social graphic: banners for Black Friday",
    objective="get people to the BF deals page",
    audience="cart abandoners",
    platforms=["google_ads"],
    formats=["300x250", "728x90"],
    deadline=date(2026, 11, 21),
)


def named(brief: Brief, *existing: dict[str, Any]) -> list[str]:
    candidates = [Candidate.stored(f"CR-{n}", b["title"], "submitted", b) for n, b in enumerate(existing, 1)]
    return [c.ref for c in find_duplicates(brief, candidates)]


def test_the_same_banners_asked_again_in_other_words_and_classified_otherwise_are_named() -> None:
    assert named(BANNERS_AGAIN, BANNERS) == ["CR-1"]


def test_the_same_campaign_with_another_deliverable_is_not_named() -> None:
    email = Brief(
        request_type="email",
        channels=["email"],
        title="Email: Black Friday deals email",
        objective="announce the Black Friday deals to subscribers",
        audience="newsletter subscribers",
        campaign="Black Friday",
        deadline=date(2026, 11, 20),
    )
    assert named(email, BANNERS) == []


def test_the_same_deliverable_for_another_campaign_market_or_edition_is_not_named() -> None:
    winter = BANNERS_AGAIN.model_copy(update={"campaign": "Winter sale", "objective": "traffic to the winter sale"})
    assert named(winter, BANNERS) == []
    german, french = ({**BANNERS, "request_type": "localization", "markets": [m]} for m in ("de", "fr"))
    assert named(Brief.model_validate(french), german) == []
    assert named(Brief.model_validate(german), german) == ["CR-1"]
    first, second = ({**BANNERS, "title": f"Black Friday banners, flight {n}"} for n in (1, 2))
    assert named(Brief.model_validate(second), first) == []


def test_a_deadline_weeks_apart_is_other_work_and_the_closest_two_are_named_first() -> None:
    later = BANNERS_AGAIN.model_copy(update={"deadline": date(2027, 1, 8)})
    assert similarity(Brief.model_validate(BANNERS), later) == 0.0 < THRESHOLD
    shorter = {**BANNERS, "formats": ["300x250"], "channels": ["web"]}
    same = {**BANNERS, "request_type": "social_graphic", "title": "Social graphic: banners for Black Friday"}
    assert named(BANNERS_AGAIN, shorter, BANNERS, same) == ["CR-3", "CR-2"]


def say(convo: Conversation, text: str) -> None:
    convo.handle(Incoming("U9", "D9", text, "UTC"))


def named_in_conversation(convo: Conversation, db: Database) -> list[str]:
    """What the intake names as possible duplicates of the complete video brief (then the draft is dropped)."""
    say(convo, COMPLETE_VIDEO)
    with db.uow() as u:
        draft = u.drafts.get("U9", "D9")
        assert draft is not None
        refs = list(draft.pending.get("duplicates", []))
    say(convo, "cancel")
    return refs


def test_another_requesters_request_is_named(convo: Conversation, db: Database) -> None:
    (theirs,) = add_indexed(db, [SIMILAR], requester_id="UOTHER", conversation_id="DOTHER")
    assert named_in_conversation(convo, db) == [theirs]


def test_a_request_closed_recently_is_named_one_older_than_the_window_is_not(convo: Conversation, db: Database) -> None:
    add_indexed(db, [SIMILAR], days_ago=WINDOW_DAYS + 5, status="closed")
    assert named_in_conversation(convo, db) == []
    (closed,) = add_indexed(db, [SIMILAR], days_ago=30, status="closed")
    assert named_in_conversation(convo, db) == [closed]
