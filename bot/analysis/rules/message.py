"""One requester message prepared for matching: Slack markup resolved, injections dropped, links masked."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.analysis.date_words import fold
from bot.analysis.rules.typos import corrected

_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>\s]+)(?:\|[^>]*)?>")
_EMAIL_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TLDS = "com|io|de|fr|es|co|net|org|app|ai|eu|uk|ch|at|it|nl|dev|shop|store|site|info|biz|me|us"
_LINK = re.compile(
    rf"(?:https?://|www\.)[^\s<>\"']+|(?<![@\w.-])(?:[a-z0-9-]+\.)+(?:{_TLDS})"
    r"(?:/[^\s<>\"',;)]*)?(?![\w.])",
    re.I,
)
FILE_HOST = re.compile(
    r"drive\.google|docs\.google|dropbox|box\.com|figma|wetransfer|sharepoint|onedrive"
    r"|frame\.io|loom\.com|notion\.|canva\.|miro\.|airtable|wistia"
    r"|\.(?:pdf|png|jpe?g|gif|psd|ai|indd|mp4|mov|zip|pptx?|docx?|key|sketch|fig)$",
    re.I,
)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:(?:all|any|the|your|my|previous|prior|above|earlier|"
    r"preceding|these|those)\s+)*(?:instructions?|rules|prompts?|above|everything|guidelines|system prompt)"
    r"|\b(?:ignor(?:e|iere|ez|a)|vergiss|oubliez?|olvida)\s+(?:\w+\s+){0,3}?(?:anweisungen|regeln|instructions"
    r"|consignes|r[eè]gles|instrucciones|reglas)\b|\b(?:set|change)\s+(?:(?:the|its|this|it|request)\s+)*(?:status"
    r"|priority)\b"
    r"|\b(?:system|assistant|developer)(?:\s+prompt)?\s*:|\byou are now\b|\bnote to (?:the )?(?:ai|bot|llm|model"
    r"|assistant)\b|\b(?:admin|developer|god|jailbreak) mode\b|\bnew instructions?\s*:",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?\n]|---")
#: Where a pasted email's signature starts: a "--" line, a closing line ("Thanks!", "Thanks a mil,", "Best,",
#: "Abraços,"), or its confidentiality notice ("This e-mail and any attachments are confidential…").
_SIGNATURE = re.compile(
    r"\n[ \t]*(?:(?:--+|__+|(?:thanks|thank you|many thanks|best|best regards|kind regards|regards|cheers|thx"
    r"|gracias|muchas gracias|saludos|un saludo|abrazos|danke|(?:viele|liebe|beste) gru(?:ss|ß)e|lg|vg|mfg|merci"
    r"|cordialement|bien a vous|bises|obrigad[oa]|abracos|atenciosamente|um abraco)(?:[ \t]+[\w']+){0,3}[ \t]*[!,.]?)"
    r"[ \t]*\n|this e-?mail\b[^\n]{0,60}\bconfidential|confidentiality notice|disclaimer\s*:)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Message:
    """One requester message prepared for matching: ``body`` and ``folded`` have the same length."""

    body: str
    folded: str
    links: list[str]

    def text(self, start: int, end: int) -> str:
        """Original-case text of a span, trimmed."""
        return trim(self.body[start:end])


def trim(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip(" \t,;:-–—()[]\"'“”‘’*_~").strip()


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _injection_spans(text: str) -> list[tuple[int, int]]:
    """Instruction-like sentences: from the marker to the end of its sentence."""
    spans = []
    for match in _INJECTION.finditer(text):
        end = _SENTENCE_END.search(text, match.end())
        spans.append((match.start(), end.end() if end else len(text)))
    return spans


#: Longer messages are analysed on their first characters only (a Slack message rarely comes close).
MAX_CHARS = 6000


def prepare(text: str) -> Message:
    """Slack markup resolved, injected instructions dropped, links collected and masked, typos corrected."""
    text = _SLACK_LINK.sub(r"\1", text[:MAX_CHARS])
    if (signature := _SIGNATURE.search(fold(text))) is not None:  # fold keeps the length: the cut is the same
        text = text[: signature.start()]
    text = blank(text, _injection_spans(text))
    masked = blank(text, (m.span() for m in _EMAIL_ADDRESS.finditer(text)))
    matches = list(_LINK.finditer(masked))
    links = [m.group().rstrip(".,;:!?)'\"") for m in matches]
    spans = [(m.start(), m.start() + len(link)) for m, link in zip(matches, links, strict=True)]
    body = corrected(blank(masked, spans))
    return Message(body=body, folded=fold(body), links=links)
