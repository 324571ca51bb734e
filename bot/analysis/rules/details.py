"""Links, markets, campaign, budget, approver and notes."""

from __future__ import annotations

import re
from typing import Any

from bot.analysis.rules.clauses import TOKEN, clause
from bot.analysis.rules.fields import mentions
from bot.analysis.rules.lexicon import lexicon
from bot.analysis.rules.message import FILE_HOST, Message


def sort_links(links: list[str], localization: bool, want_url: bool) -> dict[str, Any]:
    """Links as source_asset (localizing), url (a web page) and assets (files)."""
    files = [link for link in links if FILE_HOST.search(link)]
    pages = [link for link in links if link not in files]
    out: dict[str, Any] = {}
    if localization and links:
        source = (files or pages)[0]
        out["source_asset"] = source
        files = [link for link in files if link != source]
        pages = [link for link in pages if link != source]
    if pages and (want_url or not localization):
        out["url"] = pages[0]
    if files:
        out["assets"] = files
    return out


_US = re.compile(r"(?<![\w.])US(?:A)?(?![\w.])")


def extract_markets(message: Message, negated: set[str]) -> list[str]:
    """Countries, regions and languages, in order of mention."""
    hits = mentions(lexicon().markets, message.folded, negated)
    if "US" not in negated and (m := _US.search(message.body)):
        hits.append((m.start(), "US"))
    return list(dict.fromkeys(name for _, name in sorted(hits)))


_NOT_CAMPAIGN_NAME = (
    r"(?!\s+(?:visuals?|assets?|images?|banners?|materials?|creatives?|videos?|pages?|landing"
    r"|key visuals?|graphics?|copy|files?))"
)
_CAMPAIGN = re.compile(
    r"\b(?:campaign|kampagne|campana|campagne)\s*:\s*(?P<v>[^\n.!?;,]{2,60})"
    rf"|(?:\"|')(?P<q>[^\"'\n]{{2,40}})(?:\"|')\s+(?:campaign|kampagne)\b{_NOT_CAMPAIGN_NAME}"
    rf"|(?<![\w&-])(?P<w>(?:[\w&-]+\s){{1,3}})(?:campaign|kampagne)\b{_NOT_CAMPAIGN_NAME}"
    r"|\b(?:campana|campanha|campagne)\s+(?:de|du|des|da|do|d')\s*(?P<r>(?:la |el |los |las |le |les |a |o |os )?"
    r"[\w'-]+(?: [\w'-]+)?)"
)
_CAMPAIGN_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "this",
        "that",
        "for",
        "of",
        "in",
        "on",
        "to",
        "with",
        "and",
        "new",
        "your",
        "their",
        "my",
        "existing",
        "current",
        "next",
        "upcoming",
        "whole",
        "entire",
    ]
)


_ARTICLES = frozenset(["la", "el", "los", "las", "le", "les", "a", "o", "os"])


def extract_campaign(message: Message) -> str | None:
    """The campaign a request belongs to ("the spring campaign" → "spring")."""
    m = _CAMPAIGN.search(message.folded)
    if not m:
        return None
    if m["r"]:  # "campaña de verano", "campagne de Noël", "campaña de Black Friday": a second word if a name's
        said = message.text(*m.span("r")).split()
        said = said[1:] if len(said) > 1 and said[0].lower() in _ARTICLES else said
        return " ".join(said[:2]) if len(said) > 1 and said[1][:1].isupper() else said[0]
    if m["v"] or m["q"]:
        return message.text(*m.span(next(g for g in ("v", "q") if m[g]))) or None
    tokens = list(TOKEN.finditer(message.folded, m.start("w"), m.end("w")))
    while tokens and tokens[0].group() in _CAMPAIGN_STOP:
        tokens.pop(0)
    kept: list[re.Match[str]] = []
    for token in reversed(tokens):
        if token.group() in _CAMPAIGN_STOP:
            break
        kept.insert(0, token)
    return message.text(kept[0].start(), kept[-1].end()) if kept else None


_MONEY = r"(?<![\w,.])(?:[$€£]\s?\d[\d,.]*\s?[km]?|\d[\d,.]*\s?[km]?\s?(?:€|eur|euros?|usd|dollars?|\$|£|gbp|chf))"
_BUDGET = re.compile(rf"\b(?:budget|presupuesto|spend)\b[^.\n]{{0,20}}?(?P<a>{_MONEY})|(?P<b>{_MONEY})\s+budget\b")


def extract_budget(message: Message) -> str | None:
    """An amount of money said with "budget" or "spend"."""
    m = _BUDGET.search(message.folded)
    return message.text(*(m.span("a") if m["a"] else m.span("b"))) if m else None


_WHO = r"(<@\w+>|@[\w.-]+|[A-Z][a-zà-ÿ]+(?: [A-Z][a-zà-ÿ]+)?)"
_APPROVER = re.compile(
    rf"(?i:approv(?:ed|al) by|approver\s*:|sign[- ]?off (?:from|by)|signed off by"
    rf"|needs? (?:sign[- ]?off|approval) from|final (?:ok|say) (?:from|by))\s+{_WHO}"
    rf"|{_WHO}\s+(?i:needs to|has to|will|must|should)\s+(?i:approve|sign off)"
)


def extract_approver(message: Message) -> str | None:
    """Who signs the work off ("approved by Jane", "<@U123> needs to approve")."""
    m = _APPROVER.search(message.body)
    if not m:
        return None
    return next(v for v in m.groups() if v)


_NOTES = re.compile(r"\b(?:notes?|fyi|p\.?s\.?|nb)\s*[:\-]\s*(?=\S)")


def extract_notes(message: Message) -> str | None:
    """A labelled note ("Note: …", "FYI: …")."""
    m = _NOTES.search(message.folded)
    if not m:
        return None
    return clause(message, m.end(), limit=300)[0] or None
