"""Small field extractors: named mentions, negations, formats, duration, quantity and slide count."""

from __future__ import annotations

import re

from bot.analysis.date_words import NUMBER_WORDS, alternation
from bot.analysis.rules.lexicon import lexicon, words
from bot.analysis.rules.message import blank


def mentions(patterns: dict[str, re.Pattern[str]], folded: str, negated: set[str]) -> list[tuple[int, str]]:
    """(position, name) of lexicon names mentioned in the text, minus negated ones."""
    return [(m.start(), name) for name, p in patterns.items() if name not in negated and (m := p.search(folded))]


def named(patterns: dict[str, re.Pattern[str]], folded: str, negated: set[str]) -> list[str]:
    """Lexicon names mentioned in the text, in order of first mention, minus negated ones."""
    return [name for _, name in sorted(mentions(patterns, folded, negated))]


_NEGATION = re.compile(
    r"\b(?:not|no|instead of|rather than|remove|drop|without|except|minus|nicht|kein\w*|statt|anstatt|anstelle von"
    r"|sin|en vez de|en lugar de|sans|pas|au lieu de|plutot que|nao|em vez de|ao inves de)"
    r"\s+(?:the\s+|on\s+|for\s+|in\s+|para\s+|pour\s+|fur\s+|auf\s+)?(?P<item>[\w/-]+)"
)


def negations(folded: str, *tables: dict[str, re.Pattern[str]]) -> tuple[set[str], str]:
    """Names the message negates ("not Instagram", "instead of TikTok"), and the text without them."""
    names: set[str] = set()
    spans = []
    for m in _NEGATION.finditer(folded):
        hit = {name for table in tables for name, p in table.items() if p.fullmatch(m["item"])}
        if hit:
            names |= hit
            spans.append(m.span("item"))
    return names, blank(folded, spans)


_SIZE = re.compile(
    r"(?<![\w.])(?P<w>\d{2,5}(?:[.,]\d+)?)\s?[x×]\s?(?P<h>\d{2,5}(?:[.,]\d+)?)\s?"
    r"(?P<u>px|cm|mm|in|\")?(?!\w)"
    r"|(?<![\w.])(?P<w2>\d{1,3}(?:[.,]\d+)?)\s?[x×]\s?(?P<h2>\d{1,3}(?:[.,]\d+)?)\s?"
    r"(?P<u2>cm|mm|m|in|\")(?!\w)"
)
_RATIO = re.compile(r"(?<![\d:.])(1\.91|21|16|9|5|4|3|2|1)\s?:\s?(16|9|5|4|3|2|1)(?![\d:])")
_RATIOS = {"1:1", "4:5", "5:4", "9:16", "16:9", "4:3", "3:4", "2:3", "3:2", "21:9", "1.91:1", "2:1", "1:2"}
_PAPER = re.compile(r"(?<!\w)(?:din\s?)?a([0-6])(?!\w)|(?<![\w/])(4|8|18|24|48)/1(?![\w/])")


def extract_formats(folded: str, negated: set[str], social: bool) -> list[str]:
    """Sizes, aspect ratios and named formats, in order of mention."""
    found: list[tuple[int, str]] = []
    for m in _SIZE.finditer(folded):
        w, h, unit = (m["w"], m["h"], m["u"]) if m["w"] else (m["w2"], m["h2"], m["u2"])
        found.append((m.start(), f"{w}x{h}{unit or ''}"))
    found += [(m.start(), f"{m[1]}:{m[2]}") for m in _RATIO.finditer(folded) if f"{m[1]}:{m[2]}" in _RATIOS]
    found += [(m.start(), f"A{m[1]}" if m[1] else f"{m[2]}/1") for m in _PAPER.finditer(folded)]
    for name, pattern in lexicon().formats.items():
        if (hit := pattern.search(folded)) and name not in negated and (name != "story" or social):
            found.append((hit.start(), name))
    return list(dict.fromkeys(value for _, value in sorted(found)))


_SECONDS = r"s|secs?|seconds?|seg|segundos?|sek|sekund\w*|secondes?"
_MINUTES = r"mins?|minutes?|minut\w*|minutos?"
_DURATION = re.compile(
    rf"(?<![\w.:])~?(?P<a>\d{{1,3}})(?:\s?[-–]\s?(?P<b>\d{{1,3}}))?\s?-?\s?"
    rf"(?:(?P<sec>{_SECONDS})|(?P<min>{_MINUTES}))(?!\w)"
)
_DECADE = re.compile(r"\b(?:in (?:their|his|her|our|my) |aged |early |late |mid-?)$")
VIDEO_HINT = words(
    r"videos?|clips?|animations?|animated|gifs?|reels?|pre-?rolls?|bumpers?|spots?|footage"
    r"|explainers?|teasers?|trailers?|loops?"
)


#: A length said in words: "a minute", "half a minute", "un minuto", "eine Minute", "meio minuto".
_DURATION_WORDS = re.compile(
    r"\b(?P<half>half an? minute|half a min|medio minuto|meio minuto|une demi-minute|eine halbe minute|30 seg\w*)\b"
    r"|\b(?:a|one|un|una|uma|um|eine|une)\s+(?P<one>minute|min|minuto|minuta)\b"
)


def extract_duration(folded: str, video: bool) -> str | None:
    """Video length: "30s", "2 min", "60-90s", "a minute"; a bare "30s" only where the work is video."""
    if video and not _DURATION.search(folded) and (m := _DURATION_WORDS.search(folded)):
        return "30s" if m["half"] else "1 min"
    values = []
    folded = in_digits(folded)
    for m in _DURATION.finditer(folded):
        if m["sec"] == "s" and (not video or _DECADE.search(folded[: m.start()])):
            continue
        span = f"{m['a']}-{m['b']}" if m["b"] else m["a"]
        values.append(f"{span}s" if m["sec"] else f"{span} min")
    return ", ".join(dict.fromkeys(values)) or None


_PIECES = (
    r"copies|copy(?! (?:options|variations|variants|versions|lines|ideas|drafts))|copias|exemplaires"
    r"|exemplare|stuck|stk|pieces|pcs|units|prints?|flyers?|fliers?|posters?"
    r"|brochures?|leaflets?|cards?|business cards|stickers?|postcards?|banners?|roll-?ups?(?: banners?)?"
    r"|faces|signs?|boxes|labels?|booklets?|catalog(?:ue)?s?|folletos?|carteles?|plakate?|affiches?"
    r"|tarjetas|volantes|depliants?|invitations?|mugs?|t-?shirts?|hoodies?|tote bags?|flyer"
    r"|posts|stories|videos|clips|e-?mails|ads|visuals|graphics|carousels|reels|icons|illustrations|versions"
    r"|ejemplares|exemplares|visuels|visuales|visuais|folhetos|piezas|pecas|stuck"
)
#: Counts from 10 to 100 in the five languages (not "once", "elf", "seize", "cent": words of their own too).
_TEENS_AND_TENS = {
    10: ["dez", "diez", "dix", "zehn"],
    11: ["eleven", "onze"],
    12: ["twelve", "douze", "doce", "doze", "zwolf"],
    13: ["thirteen", "treize", "trece", "treze", "dreizehn"],
    14: ["fourteen", "quatorze", "catorce", "catorze", "vierzehn"],
    15: ["fifteen", "quinze", "quince", "funfzehn"],
    16: ["sixteen", "dieciseis", "dezesseis", "sechzehn"],
    18: ["eighteen", "dix-huit", "dieciocho", "dezoito", "achtzehn"],
    20: ["twenty", "vingt", "veinte", "vinte", "zwanzig"],
    25: ["twenty-five", "twenty five", "vingt-cinq", "veinticinco", "vinte e cinco", "funfundzwanzig"],
    30: ["thirty", "trente", "treinta", "trinta", "dreissig"],
    40: ["forty", "quarante", "cuarenta", "quarenta", "vierzig"],
    45: ["forty-five", "forty five", "quarante-cinq", "cuarenta y cinco", "quarenta e cinco"],
    50: ["fifty", "cinquante", "cincuenta", "cinquenta", "funfzig"],
    60: ["sixty", "soixante", "sesenta", "sessenta", "sechzig"],
    90: ["ninety", "quatre-vingt-dix", "noventa", "neunzig"],
    100: ["hundred", "cien", "cem", "hundert"],
}
#: Number words that count things ("three posts", "a couple of banners"); an article ("a", "un") is no count.
_NUMBER_WORDS = {
    **{w: str(n) for w, n in NUMBER_WORDS.items() if n > 1},
    "one": "1",
    "dois": "2",
    "a couple of": "2",
    "a pair of": "2",
    "a dozen": "12",
    "half a dozen": "6",
    "dozen": "12",
    "une douzaine": "12",
    "une dizaine": "10",
    "une vingtaine": "20",
    "une centaine": "100",
    "un centenar": "100",
    "una docena": "12",
    "uma duzia": "12",
    "ein dutzend": "12",
    "mil": "1000",
    "zweitausend": "2000",
    "tausend": "1000",
    "dois mil": "2000",
    "dos mil": "2000",
    "deux mille": "2000",
    "a hundred": "100",
    "a thousand": "1000",
    **{w: str(n) for n, ws in _TEENS_AND_TENS.items() for w in ws},
}
_ON = r"(?:(?:instagram|insta|ig|linkedin|facebook|fb|tiktok|social|twitter|youtube|short|more|new|different)\s+)?"
_QUANTITY = re.compile(
    rf"(?<![\w.,])(?P<n>\d{{1,3}}(?:[,.' ]\d{{3}})+|\d+(?:[.,]\d+)?\s?k|\d+|{alternation(_NUMBER_WORDS)})\s*"
    rf"(?:x\s+)?{_ON}(?:(?:printed|gedruckte|impres[oa]s|imprimes|(?:din\s?)?a[0-6]|dl|different|double-sided)\s+)*"
    rf"(?:{_PIECES})(?!\w)"
    r"|(?:quantity|qty|menge|cantidad|quantite|print run|auflage|tirage)\s*(?:of|:|=|-|de)?\s*(?P<q>\d[\d,.' ]*k?)"
    r"|(?<!\w)(?P<each>\d+) of each(?!\w)"
    r"|\b(?:print|drucken|imprimir|imprimer)\s+(?P<p>\d{1,3}(?:[,.' ]\d{3})+|\d+k?)(?![\w.,:/])"
    r"|(?<!\w)(?:copies|prints|flyers|fliers|posters|brochures|leaflets|cards|stickers|postcards|banners|roll-?ups"
    r"|plakate|folletos|carteles|affiches)\s*[:=]?\s*(?P<after>\d{{1,3}}(?:[,.' ]\d{{3}})+|\d+k?)(?![\w.,:/x×])"
)


_NUMBER_WORD = re.compile(rf"\b(?:{alternation(_NUMBER_WORDS)})\b")
#: A count said alone, as an answer to "how many?": digits ("2,000", "5k") or number words ("a dozen", "mil").
_BARE_COUNT = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:[,.' ]\d{{3}})+|\d+(?:[.,]\d+)?\s?k|\d+)(?![\w])|{_NUMBER_WORD.pattern}"
)


def count_in(folded: str) -> str | None:
    """The first count a reply says, as digits ("a dozen" → "12", "2.000" → "2000"); None when it says none."""
    m = _BARE_COUNT.search(folded)
    return number(m.group()) if m else None


def number(value: str) -> str:
    value = value.strip().lower()
    if value in _NUMBER_WORDS:
        return _NUMBER_WORDS[value]
    if value.endswith("k"):
        return str(int(float(value[:-1].strip().replace(",", ".")) * 1000))
    return re.sub(r"[,.' ]", "", value)


def extract_quantity(folded: str) -> str | None:
    """A number of printed pieces ("500 flyers" → "500", "2 of each")."""
    m = _QUANTITY.search(folded.replace("-", " "))  # "2 Instagram-Posts"
    if not m:
        return None
    if m["each"]:
        return f"{m['each']} of each"
    return number(m["n"] or m["q"] or m["p"] or m["after"])


_SLIDES = re.compile(
    r"(?<![\w.])~?(?P<n>\d{1,3})\s?-?\s?(?:slides?|slide deck|folien|diapositivas|diapos)(?!\w)"
    r"|(?:deck|presentation|presentacion|prasentation) of (?:about |around |~)?(?P<m>\d{1,3})(?!\w)"
)


def in_digits(folded: str) -> str:
    """``folded`` with its number words as digits ("fifteen slides" → "15 slides", "quinze segundos" → "15
    segundos"), for the patterns that read a count before its unit."""
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group()], folded)


def extract_slide_count(folded: str) -> str | None:
    """The number of slides of a deck (not of a carousel)."""
    if "carousel" in folded:
        return None
    m = _SLIDES.search(in_digits(folded))
    return (m["n"] or m["m"]) if m else None
