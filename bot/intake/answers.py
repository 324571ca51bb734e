"""How a requester's short message reads: a command, a choice for the bot's open yes/no question, a non-answer.

Every list holds the words of the five supported languages, accent-free (``fold``), so "sí", "si" and "SÍ"
read alike.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Any

from bot.analysis.date_words import fold
from bot.analysis.dates import find_dates
from bot.analysis.non_answers import NO, YES
from bot.platform.i18n import N_, t

HELP_TEXT = N_(
    "Tell me what you need in your own words — for example “a 30s YouTube pre-roll for the spring launch, "
    "due March 20”. I'll ask for anything missing, then show you the brief to submit.\n"
    "Commands: `submit` (or `yes`) when the brief is complete, `cancel` to drop the draft, "
    "`start over` to begin again, `status` for your open requests, `cancel CR-0001` to withdraw a submitted "
    "request, `help` for this message."
)


def help_text() -> str:
    """The help message in the current language."""
    return t(HELP_TEXT)


_COMMAND_WORDS: dict[str, tuple[str, ...]] = {
    "help": ("help", "?", "ayuda", "hilfe", "aide", "ajuda"),
    "status": ("status", "estado", "statut", "my requests", "mis solicitudes", "meine anfragen", "mes demandes"),
    "cancel": ("cancel", "cancelar", "abbrechen", "stornieren", "annuler", "cancela", "cancele"),
    "start over": (
        "start over",
        "restart",
        "empezar de nuevo",
        "volver a empezar",
        "von vorne",
        "neu anfangen",
        "recommencer",
        "recomecar",
        "comecar de novo",
    ),
    "submit": ("submit", "send it", "enviar", "envialo", "absenden", "senden", "abschicken", "envoyer", "soumettre"),
    "yes": ("yes", "y", "yep", "yeah", "ok", "okay", "si", "ja", "oui", "sim", "vale", "claro", "d'accord"),
}
COMMANDS: dict[str, str] = {word: name for name, said in _COMMAND_WORDS.items() for word in said}


class Choice(StrEnum):
    """An answer to one of the intake's yes/no questions (SPEC 2.1.4, 2.1.5); the buttons send the same."""

    KEEP = "keep"
    MOVE = "move"
    NEW_WORK = "new_work"
    DUPLICATE = "duplicate"


_NEGATIONS = frozenset(
    {"not", "dont", "don't", "no", "never", "nicht", "kein", "keine", "pas", "ne", "nao", "nunca"}
    | {"can't", "cant", "cannot", "won't", "wont", "mustn't", "mustnt", "shouldn't", "shouldnt"}
)
_KEEP = frozenset(
    {"keep", "rush", "urgent", "mantener", "mantenlo", "manten", "mantenla", "urgente", "behalten", "beibehalten"}
    | {"lassen", "eilig", "garder", "garde", "gardez", "conserver", "manter", "mantem", "mantenha", "mantem-na"}
)
_MOVE = frozenset(
    {"move", "earliest", "standard", "later", "postpone", "push", "mover", "muevelo", "muevela", "posponer"}
    | {"verschieben", "verschiebe", "spater", "deplacer", "deplace", "decaler", "decale", "repousser", "reporter"}
    | {"adiar", "mudar", "mude", "adie"}
)
_NEW = frozenset(
    {"new", "different", "another", "separate", "other", "nuevo", "nueva", "distinto", "distinta", "diferente"}
    | {"otro", "otra", "neu", "neue", "neues", "anders", "andere", "anderes", "nouveau", "nouvelle", "autre"}
    | {"novo", "nova", "outro", "outra"}
)
_SAME = frozenset(
    {"same", "duplicate", "dupe", "mismo", "misma", "igual", "gleich", "gleiche", "dasselbe", "selbe", "doppelt"}
    | {"meme", "doublon", "mesmo", "mesma"}
)
#: Any day serves to tell whether a reply names a day at all (which one does not matter there).
_ANY_DAY = date(2026, 1, 1)
#: A choice is read from a short reply only; a longer one is analysed as brief content.
_MAX_CHOICE_WORDS = 12
_TOKEN = re.compile(r"[a-z']+")


def normal(text: str) -> str:
    """A short message as a command is looked up: folded, trailing punctuation and spaces gone."""
    return re.sub(r"[\s!.]+$", "", fold(text.strip()))


def command(text: str) -> str | None:
    """The command a message is (``help``, ``status``, ``cancel``, ``start over``, ``submit``, ``yes``), or None."""
    return COMMANDS.get(normal(text))


def _signals(text: str) -> tuple[list[tuple[str, bool]], bool]:
    """The deciding words of a short reply (or of a longer one's short first clause: "ok move it to the earliest
    date then, that still works for the launch"), each with whether a negation comes just before it; and whether
    the reply was short."""
    clauses = [_TOKEN.findall(part) for part in re.split(r"[,.;:!?]", fold(text).replace("’", "'"))]
    short = sum(map(len, clauses)) <= _MAX_CHOICE_WORDS
    if not short:
        first = next((tokens for tokens in clauses if tokens), [])
        clauses = [first] if len(first) <= _MAX_CHOICE_WORDS else []
    found = []
    for tokens in clauses:
        for i, token in enumerate(tokens):
            negated = any(t in _NEGATIONS for t in tokens[max(0, i - 2) : i])
            found.append((token, negated))
    return found, short


def _pick(text: str, positive: frozenset[str], negative: frozenset[str], *, bare: bool = True) -> bool | None:
    """True for the positive side, False for the negative, None when the reply does not say.

    The choice's own words decide ("ok, move it" moves); a bare yes or no counts only without them, in a short
    reply (and only when ``bare``).
    """
    said: set[bool] = set()
    agreed: set[bool] = set()
    signals, short = _signals(text)
    bare = bare and short
    for token, negated in signals:
        if token in positive or token in negative:
            said.add((token in positive) != negated)
        elif (token in YES or token in NO) and not negated:
            agreed.add(token in YES)
    votes = said or (agreed if bare else set())
    return votes.pop() if len(votes) == 1 else None


def choice(pending: dict[str, Any], text: str) -> Choice | None:
    """How a reply answers the open duplicate or rush question, in natural words, or None."""
    if pending.get("duplicate_question"):
        new = _pick(text, _NEW, _SAME)
        if new is not None:
            return Choice.NEW_WORK if new else Choice.DUPLICATE
    if pending.get("rush_question"):  # "ok, then the 24th": a new day, not a yes to keeping the old one
        keep = _pick(text, _KEEP, _MOVE, bare=not find_dates(text, _ANY_DAY))
        if keep is not None:
            return Choice.KEEP if keep else Choice.MOVE
    return None


def agrees(text: str) -> bool | None:
    """A short yes (True) or no (False) in any supported language, or None."""
    return _pick(text, frozenset(), frozenset())
