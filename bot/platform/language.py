"""Which language a requester speaks: their chat locale when the platform gives one, else what they write in."""

from __future__ import annotations

import functools

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from bot.platform.i18n import ENGLISH, supported

_LINGUA = {
    "en": Language.ENGLISH,
    "es": Language.SPANISH,
    "de": Language.GERMAN,
    "fr": Language.FRENCH,
    "pt": Language.PORTUGUESE,
}
_CODES = {language: code for code, language in _LINGUA.items()}
#: How clearly the likeliest language must lead the next one; below it a text is too short or mixed to tell.
MIN_RELATIVE_DISTANCE = 0.25


def from_locale(locale: str | None) -> str | None:
    """A supported language from a locale ("de-DE", "pt_BR", "fr"), or None."""
    if not locale:
        return None
    return supported(locale.replace("_", "-").split("-", 1)[0].lower())


@functools.cache
def _detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(*_LINGUA.values())
        .with_minimum_relative_distance(MIN_RELATIVE_DISTANCE)
        .with_preloaded_language_models()  # at start (warm_up), not on the first requester's message
        .build()
    )


def warm_up() -> None:
    """Load the detector's models now (about a second), so a worker's first requester does not wait for them."""
    _detector()


def detect(text: str) -> str:
    """The supported language ``text`` is written in; English when it is too short or ambiguous to tell."""
    text = text.encode("utf-8", "ignore").decode("utf-8")  # a lone surrogate is no letter of any language
    found = _detector().detect_language_of(text) if text.strip() else None
    return _CODES.get(found, ENGLISH) if found is not None else ENGLISH
