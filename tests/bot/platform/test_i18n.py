"""The message catalogs (SPEC 2.1 "Language"): every string the code says is translated, dates in the language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.intake.answers import COMMANDS, normal
from bot.platform.i18n import ENGLISH, KEYWORDS, LANGUAGES, current, po_path, speaking, t
from bot.platform.language import detect, from_locale
from bot.platform.text import format_date, short_date

ROOT = Path(__file__).resolve().parents[3]
TRANSLATED = [lang for lang in LANGUAGES if lang != ENGLISH]
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def _msgids() -> set[str]:
    """Every msgid the code marks (``t("…")``, ``N_("…")``), as Babel's extractor finds them."""
    found: set[str] = set()
    for package in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(ROOT / package, [("**.py", "python")], keywords=KEYWORDS):
            assert isinstance(message, str)
            found.add(message)
    return found


def _catalog(lang: str) -> dict[str, str]:
    with po_path(lang).open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and isinstance(m.id, str) and isinstance(m.string, str)}


@pytest.fixture(scope="module")
def msgids() -> set[str]:
    return _msgids()


def test_the_extractor_finds_the_conversations_strings(msgids: set[str]) -> None:
    assert {"Deadline set to {day}.", "Keep as rush", "Audience", "When do you need it by?"} <= msgids
    assert len(msgids) > 100


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_string_in_the_code_is_translated_and_none_is_stale(lang: str, msgids: set[str]) -> None:
    catalog = _catalog(lang)
    assert sorted(m for m in msgids if not catalog.get(m)) == [], f"untranslated in {lang}"
    assert sorted(set(catalog) - msgids) == [], f"no longer used, still in the {lang} catalog"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_the_same_in_msgid_and_msgstr(lang: str) -> None:
    wrong = {
        msgid: text
        for msgid, text in _catalog(lang).items()
        if sorted(_PLACEHOLDER.findall(msgid)) != sorted(_PLACEHOLDER.findall(text))
    }
    assert wrong == {}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_commands_in_backticks_are_ones_the_bot_reads(lang: str) -> None:
    """A reply tells the requester to type `…`: in every language, a word the intake understands."""
    understood = set(COMMANDS) | {"keep", "move", "new", "same", "cancel cr-0001", "creative-intake export"}
    understood |= {"mantener", "mover", "nuevo", "mismo", "behalten", "verschieben", "neu", "gleich"}
    understood |= {"garder", "decaler", "nouveau", "meme", "manter", "adiar", "novo", "mesmo"}
    said = {normal(word) for text in _catalog(lang).values() for word in re.findall(r"`([^`]+)`", text)}
    assert said - understood == set()


def test_a_string_reads_in_the_language_spoken_and_in_english_outside() -> None:
    with speaking("de"):
        assert t("Submit") == "Absenden"
        assert t("Deadline set to {day}.", day="X") == "Frist auf X gesetzt."
    with speaking("fr"):
        assert t("Your brief") == "Ton brief"
    assert current() == ENGLISH and t("Submit") == "Submit"
    with speaking("ja"):  # not spoken: English
        assert current() == ENGLISH and t("Submit") == "Submit"


def test_dates_are_written_as_each_language_writes_them() -> None:
    day, today = date(2026, 12, 12), date(2026, 3, 2)
    assert format_date(day) == "Sat 12 Dec 2026" and short_date(day, today) == "Sat 12 Dec"
    with speaking("de"):
        assert format_date(day) == "Sa., 12. Dez. 2026"
        assert short_date(day, today) == "Sa., 12. Dez."
        assert short_date(date(2027, 1, 4), today) == "Mo., 4. Jan. 2027"
    with speaking("fr"):
        assert format_date(day) == "sam. 12 déc. 2026"
    with speaking("es"):
        assert format_date(day) == "sáb, 12 dic 2026"


def test_a_locale_names_its_language_when_the_bot_speaks_it() -> None:
    assert [from_locale(x) for x in ("de-DE", "pt_BR", "fr", "EN-US")] == ["de", "pt", "fr", "en"]
    assert [from_locale(x) for x in ("ja-JP", "", None)] == [None, None, None]


def test_the_language_is_detected_from_text_and_short_or_unclear_text_is_english() -> None:
    assert detect("Wir brauchen ein Video für LinkedIn bis Freitag") == "de"
    assert detect("Necesito un vídeo de 30 segundos para la campaña de primavera") == "es"
    assert detect("Il nous faut une affiche pour le salon") == "fr"
    assert detect("Preciso de um post para o Instagram até sexta-feira") == "pt"
    assert detect("need a 30s youtube pre-roll, 16:9, due in 3 weeks") == "en"
    assert [detect(x) for x in ("ok", "status", "", "Hola")] == ["en"] * 4
