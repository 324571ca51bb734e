"""The bot's questions for missing fields."""

from __future__ import annotations

from bot.briefs.catalog import Catalog
from bot.briefs.model import FIELD_LABELS
from bot.platform.text import human

_QUESTIONS: dict[str, str] = {
    "deadline": "When do you need it by?",
    "objective": "What should this work achieve (the goal or call to action)?",
    "audience": "Who is it for (the audience)?",
    "channels": "Where will it run — social, paid ads, email, web, video platforms, print, events or internal?",
    "platforms": "Which platforms (e.g. Instagram, LinkedIn, TikTok, Meta ads, Google ads)?",
    "formats": "Which formats or sizes (e.g. 1080x1080, 9:16, A4)?",
    "duration": "How long should the video be?",
    "copy": "Do you have the copy, or should we write it?",
    "url": "Which URL or page is this for?",
    "quantity": "How many do you need printed?",
    "slide_count": "Roughly how many slides?",
    "source_asset": "Which existing asset should we adapt (a link)?",
    "markets": "Which markets or languages?",
    "usage": "Where and how will it be used?",
}
#: Asked together because they are answered together.
_PAIRS: dict[frozenset[str], str] = {
    frozenset({"objective", "audience"}): "What should this achieve, and who is it for?",
}


def question_for(field: str, catalog: Catalog) -> str:
    """The question that asks for one field."""
    if field == "request_type":
        kinds = ", ".join(human(name) for name in catalog.type_names if name != "other")
        return f"What kind of creative do you need ({kinds})?"
    return _QUESTIONS.get(field, f"What is the {FIELD_LABELS.get(field, field).lower()}?")


def next_question(missing: list[str], catalog: Catalog) -> tuple[str, str]:
    """The most important missing field and its question (two fields at most, asked together)."""
    first = missing[0]
    if len(missing) > 1:
        paired = _PAIRS.get(frozenset(missing[:2]))
        if paired:
            return first, paired
    return first, question_for(first, catalog)
