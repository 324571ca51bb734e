"""The requester's language (SPEC 2.1 "Language"): gettext catalogs read with Babel, one per language.

Domain code says ``t("Deadline set to {day}.", day=…)``; the language is the one the surrounding
``speaking(lang)`` chose, so no function has to pass it on. English source strings are the msgids: English
needs no catalog, and a string missing from a catalog reads in English.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from io import BytesIO

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

ENGLISH = "en"
#: The languages the bot speaks, English first (the default).
LANGUAGES: tuple[str, ...] = (ENGLISH, "es", "de", "fr", "pt")
#: The catalogs' domain (``locales/<lang>/LC_MESSAGES/messages.po``).
DOMAIN = "messages"
#: The call names that mark a msgid for extraction (``N_`` only marks: a label translated where it is shown).
KEYWORDS = {"t": None, "N_": None}

_current: ContextVar[str] = ContextVar("language", default=ENGLISH)


def po_path(lang: str) -> resources.abc.Traversable:
    """Where a language's catalog is kept."""
    return resources.files("bot.platform") / "locales" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(lang: str) -> NullTranslations:
    """A language's translations, read once from its ``.po`` file (English and unknown languages: none)."""
    if lang == ENGLISH or lang not in LANGUAGES:
        return NullTranslations()
    with po_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def load_all() -> None:
    """Read every catalog now (at start), so a broken one fails there and not in a conversation."""
    for lang in LANGUAGES:
        translations(lang)


def supported(lang: str | None) -> str | None:
    """The language if the bot speaks it, else None."""
    return lang if lang in LANGUAGES else None


def current() -> str:
    """The language of the surrounding ``speaking``; English outside any."""
    return _current.get()


@contextmanager
def speaking(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` (English when unsupported or None) within the block."""
    token = _current.set(supported(lang) or ENGLISH)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def t(msgid: str, **values: object) -> str:
    """``msgid`` in the current language, its ``{placeholders}`` filled with ``values``."""
    text = translations(current()).gettext(msgid)
    return text.format(**values) if values else text


def N_(msgid: str) -> str:  # noqa: N802 (the gettext convention for "mark only")
    """Mark a msgid for extraction without translating it (translated with ``t`` where it is shown)."""
    return msgid
