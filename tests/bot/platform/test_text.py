"""How people's words are shown: escaped once, mentions defused, cut without breaking an entity."""

from __future__ import annotations

from bot.platform.text import clamp_chat, defused, escape, human, quoted, unescape, words


def test_words_are_escaped_once_and_never_ping() -> None:
    assert words("Q&A <b> <!channel> <@U0123> <!here|here>") == "Q&amp;A &lt;b&gt; @channel @U0123 @here"
    assert unescape(escape("a & <b>")) == "a & <b>"


def test_several_lines_are_quoted_line_by_line() -> None:
    assert quoted("first\n<!here> second") == ">first\n>@here second"
    assert quoted("") == ">"


def test_chat_text_is_never_cut_inside_an_entity_or_a_token() -> None:
    assert clamp_chat("abc &amp; def", 7) == "abc…"
    assert clamp_chat("hi <@U0123456> there", 10) == "hi…"
    assert clamp_chat("short", 10) == "short"


def test_defused_keeps_escaping_as_it_is() -> None:
    assert defused("&amp; <!everyone>") == "&amp; @everyone"
    assert human("paid_ads") == "paid ads"
