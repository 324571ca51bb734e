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
#: The same question in other words, with an example, for a second try (never the same question twice in a row).
_REWORDED: dict[str, str] = {
    "deadline": "Which day should it be ready by? A date like “Friday 12 December” or “the 15th” works.",
    "objective": "In a few words, what is it for? For example “get sign-ups for the webinar” or “launch the new app”.",
    "audience": "Who should see it? For example “HR leaders in the UK” or “existing customers”.",
    "channels": "Where will people see it? For example “Instagram and LinkedIn”, “our newsletter” or “printed flyers”.",
    "platforms": "On which networks or ad platforms? For example “Instagram and TikTok” or “Google Ads”.",
    "formats": "Which sizes? For example “1080x1080 and 9:16”, “A4 portrait” or “300x250, 728x90”.",
    "duration": "How many seconds or minutes long? For example “30s” or “2 minutes”.",
    "copy": "Will you send the text, or should the team write it? “We'll provide it” or “please write it” is enough.",
    "url": "What is the page's address? For example “example.com/spring”.",
    "quantity": "How many copies should be printed? For example “500”.",
    "slide_count": "About how many slides? For example “10”.",
    "source_asset": "Which file should we start from? A link to it is best.",
    "markets": "For which countries or languages? For example “France and Spain” or “DE, FR”.",
    "usage": "Where will it be used? For example “on the website and in decks”.",
}
#: Asked together because they are answered together.
_PAIRS: dict[frozenset[str], str] = {
    frozenset({"objective", "audience"}): "What should this achieve, and who is it for?",
}


def question_for(field: str, catalog: Catalog, again: bool = False) -> str:
    """The question that asks for one field; ``again`` words it otherwise, with an example."""
    if field == "request_type":
        kinds = ", ".join(human(name) for name in catalog.type_names if name != "other")
        if again:
            return f"Which of these is closest: {kinds}, or other?"
        return f"What kind of creative do you need ({kinds})?"
    if again and field in _REWORDED:
        return _REWORDED[field]
    return _QUESTIONS.get(field, f"What is the {FIELD_LABELS.get(field, field).lower()}?")


def next_question(missing: list[str], catalog: Catalog, again: bool = False) -> tuple[str, str]:
    """The most important missing field and its question (two fields at most, asked together); ``again`` asks
    the first one alone, in other words."""
    first = missing[0]
    if again:
        return first, question_for(first, catalog, again=True)
    if len(missing) > 1:
        paired = _PAIRS.get(frozenset(missing[:2]))
        if paired:
            return first, paired
    return first, question_for(first, catalog)
