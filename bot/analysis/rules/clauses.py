"""Clause-level fields: objective, audience and usage."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.analysis.date_words import fold
from bot.analysis.rules.lexicon import lexicon
from bot.analysis.rules.message import Message

_CLAUSE_END = re.compile(
    r"(?<!\bst)(?<!\bdr)(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bjr)(?<!\bvs)(?<!\bsr)(?<!\bsra)\.|[!?;\n(\[]"
    r"|\s[-–—]\s|—|\s(?:due|deadline|asap|para el|pour le|d'ici|antes del|in \d+)\b"
    r"|,?\s(?:and|y|e|et|und) (?:the|el|o|l'|das) ?(?:goal|aim|objective|objetivo|objectif|ziel)\b"
    r"|\s(?:by|before|until|bis)\s+(?=(?:the\s+)?(?:\d|(?:end|next|this|tomorrow|today|eod|eow|mid|early|close"
    r"|asap|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs?|rsday)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b))"
    r"|,\s*(?=(?:due|deadline|by|need|needed|copy|text|format|size|asap|please|pls|thanks|thx|can|could|we|i|it"
    r"|they|target\w*|aimed|audience|goal|objective|for|on|with|and|in|square|vertical|horizontal|landscape"
    r"|portrait|story|carousel|a[0-6]\b|launch\w*|go(?:es)? live|entrega|fecha|plazo|para|hasta|ate|prazo|bis|frist"
    r"|termin|abgabe|pour|avant|livraison|echeance|d'ici|[\d~]))"
)


def clause(message: Message, start: int, limit: int = 160) -> tuple[str, int]:
    """Original text from ``start`` to the end of its clause, and where it ends."""
    m = _CLAUSE_END.search(message.folded, start)
    end = min(m.start() if m else len(message.folded), start + limit)
    return message.text(start, end), end


#: What work is asked to bring in (an objective; its people are the audience: "applications from nurses").
_OUTCOMES = (
    r"applications|pre-?orders|orders|sign-?ups|registrations|leads|bookings|enquiries|inquiries|donations"
    r"|downloads|trials|demo requests|purchases|sales|reservations|rsvps"
)
_OUTCOME_FIRST = re.compile(rf"^\s*(?:more|\d+|lots of|plenty of|as many)\s+(?:[\w-]+\s+)?(?:{_OUTCOMES})\b")
_OBJECTIVE_LABEL = re.compile(
    r"\b(?:goal|objective|aim|purpose|kpi|ziel|objetivo|objectif)\b\s*"
    r"(?::|=|-|\bis\b|\bes\b|\bist\b|\best\b|\be\b|\bsera\b)\s*(?:to\s+|es,?\s+|it'?s\s+)?(?=\S)"
)
_BARE_LABEL = r"(?:^|(?<=[.!?\n]))\s*"
#: "Le but c'est de…", "notre but est…", "la meta es…" (a label said as a sentence).
_OBJECTIVE_SAID = re.compile(
    r"\b(?:le|notre|mon) but\s*(?::|\best\b|\bc'est\b|\bserait\b)\s*(?:de\s+|d')?(?=\S)"
    r"|\b(?:la|nuestra|a|nossa) meta\s*(?::|\bes\b|\be\b)\s*(?:que\s+)?(?=\S)"
)
_OBJECTIVE_BARE = re.compile(rf"{_BARE_LABEL}(?:goal|objective|aim|purpose|kpi|ziel|objetivo|objectif)\s+(?=\w)")
_SO_THAT = re.compile(
    r"\b(?:so that|so(?=\s+(?:people|customers|users|everyone|visitors|they|we|our|the|new|all)\b)"
    r"|in order to|damit|para que|pour que|afin de|afin que)\s+"
)
_PURPOSE_CLAUSE = re.compile(
    r"\b(?:that|which)\s+(?:should|must|needs? to|has to|will)?\s*(?P<v>(?:walks?|helps?|explains?|shows?"
    r"|teach(?:es)?|introduces?|announces?|promotes?|invites?|reminds?|encourages?|drives?|highlights?|showcases?"
    r"|celebrates?|educates?|convinces?|positions?|appeals?|persuades?|inspires?)\b)"
    r"|\b(?:should|must|needs? to|has to|have to)\s+(?P<m>position|appeal|convince|inspire|persuade|drive|attract"
    r"|stand out|resonate|excite|educate|explain|encourage)\b"
    r"|\b(?:we|i|they|you)\s+(?:really\s+)?(?:want|need|would like|'d like|wanna|hope for|are after)\s+(?P<o>more\s+"
    r"(?:people|ppl|folks|customers|traffic|sales|leads|sign-?ups|visitors|footfall|downloads|bookings|followers"
    r"|awareness|registrations|attendees|users|subscribers|orders|clicks|engagement|reach|members|donations)\b)"
    rf"|\b(?:we|i|they)\s+(?:really\s+)?(?:want|need|would like|'d like|are after|are looking for)\s+"
    rf"(?P<p>(?:{_OUTCOMES})\b)"
    r"|\b(?:want|need|would like|'d like|wanna|get|help)\s+(?:them|people|ppl|customers|users|everyone|visitors|folks"
    r"|readers|viewers|followers|buyers|fans|attendees|guests)\s+(?:to\s+(?P<t>\w)|(?P<g>\w+ing)\b)"
    r"|\b(?:queremos|quiero|queriamos|buscamos|precisamos|queremos)\s+que\s+(?P<q>\w)"
    r"|\b(?:wir wollen|wir mochten|ich will|ich mochte|soll(?:en)?),?\s+dass\s+(?P<d>\w)"
    r"|\b(?:wir|ich)\s+(?:mochten|wollen|mochte|will)\s+(?:gerne?\s+)?(?P<w>[^.!?;\n]{3,80}?\s(?:gewinnen|begeistern"
    r"|erreichen|uberzeugen|ansprechen|informieren|einladen|motivieren|bewegen|zuruckgewinnen|binden)\b)"
    r"|\b(?:the idea is|the aim is|the point is|la idea es|la meta es|l'idee est|le but est|o objetivo e|a ideia e"
    r"|die idee ist|das ziel ist)\s+(?:to\s+|de\s+|d'|que\s+|,\s*)?(?P<i>\w)"
)
_UM_ZU = re.compile(r"\bum\s+(?P<v>[^.!?;\n,]{3,80}?\bzu\s+\w+)")
_REQUESTER_BEFORE = re.compile(
    r"\b(?:want|wants|wanted|need|needs|needed|like|love|have|has|had|going|able|trying|try|hoping|hope|would"
    r"|'d|how|what|where|when|used|plan|planning|ready|due|you|me|him|her|them|us|set|supposed|got)\s*$"
)
#: After "want to"/"need to", these verbs usually ask for the work itself ("I need to get a poster").
_REQUEST_VERB = re.compile(
    r"^(?:get|have|make|use|show|present|book|try|bring|push|build)\b"
    r"(?!\s+(?:more|\d)|(?:\s+[\w-]+){1,3}\s+to\b)"
)
_NOT_PURPOSE_AFTER = re.compile(r"^(?:get|have|make)\s+(?:it|this|that|these|those)\b|^\w+\s+(?:done|ready)\b")
_NARRATIVE = re.compile(
    r"\b(?:we'?re|we are|i'?m|i am|they'?re|is|are|was|were|be|been|our|the|a|an|this|that"
    r"|your|their|for|of)\s*$"
)


def extract_objective(message: Message) -> str | None:
    """What the work must achieve: a labelled goal, a purpose clause or an opening gerund."""
    lex, folded = lexicon(), message.folded
    for label in (_OBJECTIVE_LABEL, _OBJECTIVE_SAID, _OBJECTIVE_BARE):
        if m := label.search(folded):
            return clause(message, m.end())[0] or None
    if m := _SO_THAT.search(folded):
        return clause(message, m.end())[0] or None
    if _OUTCOME_FIRST.match(folded):
        return clause(message, 0)[0] or None
    for m in lex.objective_to.finditer(folded):
        start = m.start("en") if m["en"] else m.start("es") if m["es"] else m.start("fr")
        value = clause(message, start)[0]
        if (
            m["en"]
            and _REQUESTER_BEFORE.search(folded[max(0, m.start() - 12) : m.start()])
            and _REQUEST_VERB.search(fold(value))
        ):
            continue
        if not _NOT_PURPOSE_AFTER.search(fold(value)):
            return value
    if m := _PURPOSE_CLAUSE.search(folded):
        return clause(message, m.start(next(g for g in ("v", "m", "o", "p", "t", "g", "q", "d", "w", "i") if m[g])))[0]
    if m := _UM_ZU.search(folded):
        return message.text(*m.span("v"))
    for m in lex.gerunds.finditer(folded):
        if not _NARRATIVE.search(folded[max(0, m.start() - 10) : m.start()]):
            return clause(message, m.start())[0]
    return None


_AUDIENCE_LABEL = re.compile(
    r"\b(?:target(?:\s+(?:audience|group))?|audience|zielgruppe|publico(?:-alvo| objetivo)?"
    r"|cible|destinatarios)\b\s*(?::|=|-|\bis\b|\bare\b|\bes\b|\bist\b|\best\b)\s*(?=\S)"
)
_AUDIENCE_BARE = re.compile(
    rf"{_BARE_LABEL}(?:target(?:\s+(?:audience|group))?|audience|zielgruppe|publico(?:[- ]objetivo|[- ]alvo)?|cible)"
    r"\s+(?=\w)"
)
_AUDIENCE_VERB = re.compile(
    r"\b(?:targeting|targeted at|targets|aimed at|aimed towards|geared (?:to|towards)"
    r"|directed at|intended for|meant for|dirigid[oa]s? al?|destinad[oa]s? al?|dirige vers|destine a"
    r"|a destination de|richtet sich an|trying to reach|want to reach|to reach|reach out to|goes to|sent to|speak to"
    r"|appeal to|voltado (?:pra|para)|voltada (?:pra|para)|pensado para|pensada para|pour toucher|um \w+ zu erreichen"
    r"|geht (?:raus )?an|gehen (?:raus )?an|nur an|va (?:dirigida )?a(?= (?:todos|todas|los|las|nuestros|nuestras))"
    r"|va[io] (?:para|pros|pras)(?= (?:os|as|todos|todas|nossos|nossas|clientes|socios)\b)|vai pros|vai pras"
    r"|envoyee?s? a(?:ux)?|envoyee?s? aux|mailed to|sent out to|present(?:ed|ing) to|pitch(?:ed|ing) to|shown to"
    r"|presentee?s? a(?:ux)?|presentad[oa]s? al?|apresentad[oa]s? (?:aos?|as?))"
    r"\s+(?=\S)"
)
_AUDIENCE_PREP = re.compile(
    r"\b(?:to|for|towards|among|amongst|aux|aupres des|aupres de|a los|a las"
    r"|para los|para las|para|pour les|pour|fur|an|with|pros|pras|pro|pra|entre|unter|parmi|dirigido a"
    r"|(?:mit|con|avec)(?=\s+(?:all|allen|alle|todos"
    r"|tous|toutes)\b))\s+(?=\S)"
)
#: People an outcome is wanted from ("applications, mainly from final-year nursing students").
_OUTCOME_FROM = re.compile(
    rf"\b(?:{_OUTCOMES}|applicants|entries|responses|interest"
    r"|solicitudes|inscripciones|pedidos|reservas|bewerbungen|anmeldungen|bestellungen|buchungen|candidatures"
    r"|inscriptions|commandes|candidaturas|inscricoes|encomendas)\b"
    r"[\s,]*(?:(?:mainly|mostly|especially|ideally|primarily|above all|sobre todo|vor allem|surtout|principalmente)"
    r"[\s,]+)?(?:from|de|von|des|dos|das)\s+(?=\S)"
)
_NP_STOP = frozenset(
    [
        "to",
        "for",
        "by",
        "about",
        "on",
        "with",
        "from",
        "of",
        "at",
        "in",
        "into",
        "so",
        "that",
        "who",
        "which",
        "because",
        "before",
        "after",
        "until",
        "due",
        "need",
        "needs",
        "please",
        "pls",
        "is",
        "are",
        "will",
        "can",
        "should",
        "would",
        "this",
        "these",
        "it",
        "its",
        "among",
        "amongst",
        "towards",
        "across",
        "via",
        "through",
        "per",
        "over",
        "under",
        "than",
        "like",
        "as",
        "para",
        "por",
        "con",
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "pour",
        "avec",
        "sur",
        "dans",
        "du",
        "des",
        "le",
        "les",
        "fur",
        "mit",
        "von",
        "zu",
        "um",
        "bis",
        "im",
        "am",
        "auf",
        "en",
        "no",
        "na",
        "em",
    ]
)
_NP_JOIN = frozenset(["and", "&", "or", "und", "y", "et", "+", "/"])
TOKEN = re.compile(r"[\w'&+/-]+")
_AGE = re.compile(r"^(?:\d{2}\s?[-–]\s?\d{2}\+?|\d{2}\+|aged|ages)$")
_QUALIFIER = frozenset(
    ["at", "in", "from", "across", "aged", "of", "en", "no", "na", "em", "who", "que", "die", "qui", "aus", "im"]
)
#: People nouns that name nobody in particular: an audience only with what qualifies them ("young people").
_ANYONE = frozenset(
    ["people", "ppl", "folks", "gente", "personas", "leute", "menschen", "personnes", "gens", "pessoas"]
)
#: Words that may precede a people noun inside a longer phrase ("existing customers", "IT directors").
_MODIFIERS = frozenset(
    [
        "new",
        "existing",
        "current",
        "past",
        "potential",
        "prospective",
        "future",
        "young",
        "old",
        "senior",
        "junior",
        "small",
        "large",
        "big",
        "local",
        "global",
        "enterprise",
        "business",
        "b2b",
        "b2c",
        "it",
        "hr",
        "tech",
        "key",
        "loyal",
        "active",
        "lapsed",
        "returning",
        "regular",
        "international",
        "national",
        "online",
        "premium",
        "female",
        "male",
        "busy",
        "working",
        "all",
        "our",
    ]
)


@lru_cache(maxsize=1)
def _people_head() -> re.Pattern[str]:
    return re.compile(rf"(?:{lexicon().people})")


def _stops(message: Message, token: re.Match[str]) -> bool:
    """Whether a token ends a noun phrase ("IT" in capitals is a word, not the pronoun)."""
    return token.group() in _NP_STOP and message.body[token.start() : token.end()] != "IT"


def _people_phrase(message: Message, start: int) -> str | None:
    """A noun phrase at ``start`` whose head names people ("CFOs at mid-size companies"), or None."""
    tokens: list[re.Match[str]] = []
    for m in TOKEN.finditer(message.folded, start):
        gap = message.folded[tokens[-1].end() if tokens else start : m.start()]
        if len(tokens) >= 7 or (gap.strip() and gap.strip() not in "&+/~") or _stops(message, m):
            break
        tokens.append(m)
    words = [t.group() for t in tokens]
    while words and (_AGE.match(words[-1]) or words[-1] in _NP_JOIN):
        words.pop()
    if not words or words[0] in _NP_JOIN:
        return None
    head = _people_head()
    heads = [
        i
        for i, w in enumerate(words)
        if (head.fullmatch(w) and (w not in _ANYONE or i < 3)) or (i and head.fullmatch(f"{words[i - 1]} {w}"))
    ]
    last = next((i for i in reversed(heads) if _ends_phrase(words, i)), None)
    if last is None:
        return None
    end = tokens[last].end()
    tail = TOKEN.match(message.folded, end + 1) if end < len(message.folded) else None
    if tail and (tail.group() in _QUALIFIER or _describes(tail.group())):
        end = clause(message, tail.start(), limit=50)[1]
    return message.text(start, end) or None


_POST_MODIFIER = re.compile(
    r"looking|interested|based|living|working|using|shopping|visiting|attending|buying"
    r"|planning|considering|searching|signed|registered|subscribed|located|who|that|qui|que|quienes|die|welche"
    r"|(?!(?:even|morn|meet|build|train|market|cloth|hous|wedd|pric|brand|packag|print|offer|th|k|r|spr|str"
    r"|someth|noth|everyth|anyth|list|sett|land|book|rat|tim|ceil|fund|lead|head|draw|paint)ing$)\w{3,}ing"
)


def _describes(word: str) -> bool:
    """A word after people that says more of them ("patients sitting in…"), not what the work does ("announcing")."""
    return bool(_POST_MODIFIER.fullmatch(word)) and not lexicon().gerunds.fullmatch(word)


#: Words that start what the work is about, after the people it is for ("Bestandskunden zur neuen Preisstruktur").
_TOPIC = frozenset(["about", "regarding", "zur", "zum", "uber", "sobre", "acerca", "concernant", "sur"])


def _ends_phrase(words: list[str], i: int) -> bool:
    """Whether the people noun at ``i`` ends its noun phrase: last word, or before a conjunction or a verb."""
    if i == len(words) - 1 or words[i + 1] in _NP_JOIN or words[i + 1] in _TOPIC:
        return True
    return bool(_POST_MODIFIER.fullmatch(words[i + 1]) or lexicon().gerunds.fullmatch(words[i + 1]))


def _people_in(message: Message, start: int, end: int) -> str | None:
    """The first group of people named between ``start`` and ``end``, with up to two modifiers."""
    head = _people_head()
    tokens = list(TOKEN.finditer(message.folded, start, end))
    for i, token in enumerate(tokens):
        if head.fullmatch(token.group()) and token.group() not in {"teams", "leads", *_ANYONE}:
            last = i
            while last + 1 < len(tokens) and head.fullmatch(tokens[last + 1].group()):
                last += 1
            first = i
            while first > 0 and i - first < 2 and _modifier(message, tokens[first - 1]):
                first -= 1
            end = tokens[last].end()
            if last + 1 < len(tokens) and tokens[last + 1].group() in _QUALIFIER:  # "Familien aus dem Raum Zürich"
                end = min(clause(message, tokens[last + 1].start(), limit=40)[1], tokens[-1].end())
                end = next(
                    (t.start() - 1 for t in tokens[last + 2 :] if t.group() in ("fur", "for", "para", "pour")), end
                )
            return message.text(tokens[first].start(), end).rstrip()
    return None


def _modifier(message: Message, token: re.Match[str]) -> bool:
    """A word that can qualify a people noun: a known modifier, a compound or an acronym."""
    word, original = token.group(), message.body[token.start() : token.end()]
    return word in _MODIFIERS or "-" in word or (original.isupper() and len(original) > 1)


@lru_cache(maxsize=1)
def _age_phrase() -> re.Pattern[str]:
    """People followed by an age range ("gym-goers 20-35")."""
    return re.compile(rf"(?<![\w-])(?:[\w-]+\s){{0,2}}(?:{lexicon().people})\s+\d{{2}}\s?[-–]\s?\d{{2}}(?!\d)")


def extract_audience(message: Message, objective: str | None) -> str | None:
    """Who the work is for: labelled, after targeting/aimed at, a people phrase, or people in the objective."""
    folded = message.folded
    for pattern in (_AUDIENCE_LABEL, _AUDIENCE_VERB, _AUDIENCE_BARE):
        if m := pattern.search(folded):
            value = clause(message, m.end())[0]
            if value:
                return value
    for m in _OUTCOME_FROM.finditer(folded):
        if phrase := _people_phrase(message, m.end()):
            return phrase
    verbs = lexicon().objective_to
    for m in _AUDIENCE_PREP.finditer(folded):
        if verbs.match(folded, m.start()):
            continue  # "to drive sign-ups…", "pour annoncer…" is a purpose, not a recipient
        if phrase := _people_phrase(message, m.end()):
            return phrase
    if m := _age_phrase().search(folded):
        return message.text(*m.span())
    if objective and (at := folded.find(fold(objective))) >= 0:
        return _people_in(message, at, at + len(objective))
    return None


_USAGE = re.compile(
    r"\b(?:will be|to be|'ll be|are|is|gets?|get|be) used\s+(?P<a>(?:on|in|for|as|across|at)\b)"
    r"|\bfor use\s+(?P<b>(?:on|in|across|as|at)\b)|\busage\s*:\s*(?P<c>)"
    r"|\b(?:will|'ll|to|needs? to|has to|must|should)\s+(?:go|appear|live|run|sit|work)\s+(?P<d>(?:on|in|across)\b)"
    r"|\bse (?:usara|utilizara|usa|utiliza)\s+(?P<e>(?:en|para|como)\b)"
    r"|\b(?:sera|seront) utilise[es]{0,2}\s+(?P<f>(?:sur|dans|pour|comme)\b)|\butilisation\s*:\s*(?P<g>)"
)
_USAGE_DE = re.compile(r"\bwird\s+(?P<v>[^.!?;\n]{3,80}?)\s+(?:benutzt|verwendet|genutzt|eingesetzt)\b")
_USAGE_FOR = re.compile(r"\bfor\s+(?:the\s+|our\s+|a\s+|an\s+)?")


def extract_usage(message: Message, request_type: str | None) -> str | None:
    """Where the work will be used; "for <surface>" counts for brand assets only."""
    folded = message.folded
    if m := _USAGE.search(folded):
        start = next(m.start(g) for g in "abcdefg" if m[g] is not None)
        return clause(message, start)[0] or None
    if m := _USAGE_DE.search(folded):
        return message.text(*m.span("v"))
    if request_type == "brand_asset":
        for m in _USAGE_FOR.finditer(folded):
            value, _ = clause(message, m.end(), limit=60)
            if lexicon().usage_surfaces.match(fold(value)):
                return value
    return None
