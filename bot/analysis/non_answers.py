"""Replies that give no value (SPEC 2.1 "don't have / not sure / you decide"), in the five languages."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.analysis.date_words import fold

#: A bare yes or no, in the five languages (folded): an answer to a yes/no question, never a field's value.
YES = frozenset(
    {"yes", "y", "yep", "yeah", "yup", "sure", "ok", "okay", "fine", "perfect", "great", "si", "ja", "jep", "genau"}
    | {"passt", "oui", "parfait", "sim", "perfeito", "vale", "claro"}
)
NO = frozenset({"no", "n", "nope", "nah", "nein", "non", "nao"})
YES_NO = YES | NO


class NonAnswer(StrEnum):
    """A reply that gives no value (SPEC 2.1 "don't have / not sure / you decide")."""

    UNSURE = "unsure"
    DELEGATED = "delegated"
    NONE = "none"


_UNSURE = re.compile(
    r"^\W*(?:i'?m )?(?:not sure|unsure|no idea|idk|dunno|(?:i )?don'?t know|not yet|tbd|tbc|\?+|no clue"
    r"|keine ahnung|weiss (?:ich )?nicht|unklar|noch nicht|no se|ni idea|no lo se|todavia no|aun no"
    r"|je ne sais pas|aucune idee|pas encore|je sais pas|nao sei|ainda nao|sei la)\W*$"
)
_DELEGATED = re.compile(
    r"^\W*(?:you decide|up to you|your call|you choose|whatever(?: you (?:think|want|like))?|any|anything"
    r"|doesn'?t matter|dont care|don't care|designer'?s choice|surprise me|egal|ihr entscheidet|entscheidet ihr"
    r"|wie ihr wollt|wie ihr meint|macht ihr|da igual|lo que quieras|lo que decidan|lo que decidais|decidan ustedes"
    r"|decidid vosotros|decide tu|como quieras|como prefieran|peu importe|comme vous voulez|c'?est vous qui voyez"
    r"|a vous de voir|vous decidez|tanto faz|voces decidem|voces que sabem|vcs decidem|voce decide|como quiser)\W*$"
)
_NONE = re.compile(
    r"^\W*(?:n/?a|none|nothing|nope|no|-+|not applicable|(?:we )?don'?t have (?:one|any|it)|keine|nichts"
    r"|ninguno|ninguna|nada|aucun|aucune|rien|nenhum|nenhuma)\W*$"
)


_FILLER = re.compile(
    r"\b(?:so recht|tbh|honestly|to be honest|really|sorry|lol|haha|pls|please|actually|yet|right now|at the moment"
    r"|for now"
    r"|ehrlich gesagt|sorry|la verdad|la verdad es que|perdon|todavia|honnetement|desole|franchement|sinceramente"
    r"|desculpa|ainda|hmm+|uhm*|ehm*|well|so|ok|okay|vale|also|bon|ben|pues|bueno|na ja|naja|trop|vraiment|muy bien"
    r"|bem|genau|exactly)\b"
)
_CLAUSE = re.compile(r"[,;.!/]+|\s(?:and|or|but|y|o|pero|und|oder|aber|et|ou|mais|e|mas)\s")


def _kind(folded: str) -> NonAnswer | None:
    for kind, pattern in ((NonAnswer.UNSURE, _UNSURE), (NonAnswer.DELEGATED, _DELEGATED), (NonAnswer.NONE, _NONE)):
        if pattern.match(folded):
            return kind
    return None


def non_answer(text: str) -> NonAnswer | None:
    """What kind of non-answer a reply is, or None when it may carry a value: the whole reply, or every clause
    of it once filler is dropped ("ni idea, lo que decidan", "no idea tbh"); one that delegates wins."""
    folded = fold(text.strip())
    if (whole := _kind(folded)) is not None:
        return whole
    clauses = [c for c in (_FILLER.sub(" ", part).strip() for part in _CLAUSE.split(folded)) if c]
    kinds = [_kind(c) for c in clauses]
    if not kinds or None in kinds:
        return None
    return NonAnswer.DELEGATED if NonAnswer.DELEGATED in kinds else kinds[0]
