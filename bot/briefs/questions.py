"""The bot's questions for missing fields, in the current language."""

from __future__ import annotations

from bot.briefs.catalog import Catalog
from bot.briefs.model import field_word
from bot.briefs.summary import kind_words
from bot.platform.i18n import N_, t

_QUESTIONS: dict[str, str] = {
    "deadline": N_("When do you need it by?"),
    "objective": N_("What should this work achieve (the goal or call to action)?"),
    "audience": N_("Who is it for (the audience)?"),
    "channels": N_("Where will it run — social, paid ads, email, web, video platforms, print, events or internal?"),
    "platforms": N_("Which platforms (e.g. Instagram, LinkedIn, TikTok, Meta ads, Google ads)?"),
    "formats": N_("Which formats or sizes (e.g. 1080x1080, 9:16, A4)?"),
    "duration": N_("How long should the video be?"),
    "copy": N_("Do you have the copy, or should we write it?"),
    "url": N_("Which URL or page is this for?"),
    "quantity": N_("How many do you need printed?"),
    "slide_count": N_("Roughly how many slides?"),
    "source_asset": N_("Which existing asset should we adapt (a link)?"),
    "markets": N_("Which markets or languages?"),
    "usage": N_("Where and how will it be used?"),
}
#: The same question in other words, with an example, for a second try (never the same question twice in a row).
_REWORDED: dict[str, str] = {
    "deadline": N_("Which day should it be ready by? A date like “Friday 12 December” or “the 15th” works."),
    "objective": N_(
        "In a few words, what is it for? For example “get sign-ups for the webinar” or “launch the new app”."
    ),
    "audience": N_("Who should see it? For example “HR leaders in the UK” or “existing customers”."),
    "channels": N_(
        "Where will people see it? For example “Instagram and LinkedIn”, “our newsletter” or “printed flyers”."
    ),
    "platforms": N_("On which networks or ad platforms? For example “Instagram and TikTok” or “Google Ads”."),
    "formats": N_("Which sizes? For example “1080x1080 and 9:16”, “A4 portrait” or “300x250, 728x90”."),
    "duration": N_("How many seconds or minutes long? For example “30s” or “2 minutes”."),
    "copy": N_(
        "Will you send the text, or should the team write it? “We'll provide it” or “please write it” is enough."
    ),
    "url": N_("What is the page's address? For example “example.com/spring”."),
    "quantity": N_("How many copies should be printed? For example “500”."),
    "slide_count": N_("About how many slides? For example “10”."),
    "source_asset": N_("Which file should we start from? A link to it is best."),
    "markets": N_("For which countries or languages? For example “France and Spain” or “DE, FR”."),
    "usage": N_("Where will it be used? For example “on the website and in decks”."),
}
#: Asked together because they are answered together.
_PAIRS: dict[frozenset[str], str] = {
    frozenset({"objective", "audience"}): N_("What should this achieve, and who is it for?"),
}


def question_for(field: str, catalog: Catalog, again: bool = False) -> str:
    """The question that asks for one field; ``again`` words it otherwise, with an example."""
    if field == "request_type":
        kinds = ", ".join(kind_words(name) for name in catalog.type_names if name != "other")
        if again:
            return t("Which of these is closest: {kinds}, or other?", kinds=kinds)
        return t("What kind of creative do you need ({kinds})?", kinds=kinds)
    if again and field in _REWORDED:
        return t(_REWORDED[field])
    if field in _QUESTIONS:
        return t(_QUESTIONS[field])
    return t("What is the {label}?", label=field_word(field))


def next_question(missing: list[str], catalog: Catalog, again: bool = False) -> tuple[str, str]:
    """The most important missing field and its question (two fields at most, asked together); ``again`` asks
    the first one alone, in other words."""
    first = missing[0]
    if again:
        return first, question_for(first, catalog, again=True)
    if len(missing) > 1:
        paired = _PAIRS.get(frozenset(missing[:2]))
        if paired:
            return first, t(paired)
    return first, question_for(first, catalog)
