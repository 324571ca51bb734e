"""Slack's envelopes: message text decoded once where it enters, the bot's mention stripped."""

from __future__ import annotations

import pytest

from handlers.envelope import slack_text, strip_mention


@pytest.mark.parametrize(
    ("raw", "typed"),
    [
        ("Q&amp;A webinar", "Q&A webinar"),
        ("&lt;b&gt; is not a tag", "<b> is not a tag"),
        ("5k &amp;amp; more", "5k &amp; more"),  # the requester typed "&amp;": kept as typed
        ("<https://x.com/a?a=1&amp;b=2>", "https://x.com/a?a=1&b=2"),
        ("see <https://x.com/doc|the doc>", "see the doc (https://x.com/doc)"),
        ("<http://example.com|example.com>", "example.com"),
        ("<mailto:ana@example.com|ana@example.com>", "ana@example.com"),
        ("in <#C0123|general>", "in #general"),
        ("ask <!subteam^S0123|@design>", "ask @design"),
        ("<@U0123> and <!here>", "<@U0123> and <!here>"),  # mentions stay tokens; rendering defuses them
        ("", ""),
    ],
)
def test_slack_text_is_decoded_once_into_what_was_typed(raw: str, typed: str) -> None:
    assert slack_text(raw) == typed


def test_the_leading_mention_and_its_punctuation_are_stripped() -> None:
    assert strip_mention("<@UBOT>: approve") == "approve"
    assert strip_mention("  <@UBOT> ,  priority high") == "priority high"
    assert strip_mention("ping <@UBOT>") == "ping <@UBOT>"
