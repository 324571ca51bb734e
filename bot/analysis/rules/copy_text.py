"""The copy field: quoted or labelled text, who provides it, or that it is still needed."""

from __future__ import annotations

import re

from bot.analysis.rules.clauses import clause
from bot.analysis.rules.message import Message, trim

_COPY_WORD = (
    r"(?:copy|text|texts|texto|textos|texte|textes|wording|headline|tagline|slogan|cta|caption|message|titel|titre"
    r"|claim|quotes)"
)
_QUOTED = re.compile(
    rf"\b(?:{_COPY_WORD}|says?|saying|reads?|reading|line)\b[^\"'\n]{{0,20}}?"
    r"(?:(?P<q>\")(?P<a>[^\"\n]{2,200})\"|(?<![\w])'(?P<b>[^'\n]{2,200}?)'(?!\w))"
)
_COPY_LABEL = re.compile(rf"\b{_COPY_WORD}\s*:\s*(?P<v>[^\s\"'.!?;\d][^\n.!?;]{{2,160}})")
_COPY_PROVIDED = re.compile(
    rf"\b{_COPY_WORD}\s+(?:is\s+|are\s+|will be\s+)?(?:attached|enclosed|below|above|ready|done|final|approved"
    r"|automated|in (?:the |this |our )?(?:google )?(?:doc|document|brief|deck|thread|file|link|sheet|drive|figma)"
    r"|adjunto|anbei|ci-joint|en piece jointe)\b"
    rf"|\b(?:i'?ll|i will|we'?ll|we will|i can|we can|i'?m going to|will)\s+(?:\w+\s+)?(?:send|share|provide|supply"
    rf"|deliver|add|write|draft)\b[^.!?\n]{{0,25}}\b(?:{_COPY_WORD}|captions|tweets|quotes|subject lines|content)\b"
    rf"|\b{_COPY_WORD}\b[^.!?\n]{{0,30}}\b(?:will (?:come|follow)|to follow|is coming|comes from|coming from"
    r"|from (?:the |our )?(?:agency|team|client|comms|marketing|legal|brand|pmm|cms))\b"
    rf"|\b{_COPY_WORD}\s+(?:will be|is being|is|gets|get|are)\s+(?:provided|supplied|sent|written|delivered|shared"
    r"|drafted)\b|\b(?:provided|supplied|written) by\b"
    rf"|\b(?:we have|we've got|got|have)\s+(?:the\s+)?{_COPY_WORD}\b"
    rf"|\b{_COPY_WORD}\s+(?:lo|la|le)?\s*(?:mando|envio|paso|escribo|pongo|schicke|sende|liefere|schreibe"
    r"|envoie|fournis|ecris)\b"
    rf"|\b{_COPY_WORD}\b[^.!?\n]{{0,30}}?\s(?:liefern|schreiben|schicken|senden|machen|ubernehmen) wir\b"
    rf"|\bwir (?:liefern|schreiben|schicken|senden) (?:den |die |das )?{_COPY_WORD}\b"
    rf"|\b(?:on|nous) (?:fournit|fournissons|ecrit|ecrivons|envoie|envoyons|redige|redigeons) (?:le |les )?{_COPY_WORD}"
    rf"|\b(?:nosotros )?(?:escribimos|mandamos|enviamos|ponemos|proporcionamos|damos) (?:el |los )?{_COPY_WORD}"
    rf"|\b(?:nos )?(?:fornecemos|escrevemos|enviamos|mandamos|passamos) (?:o |os )?{_COPY_WORD}"
    r"|\b(?:we|i)(?:'ll| will)? (?:write|provide|supply|send|do|handle) (?:it|them|the \w+)? ?(?:ourselves|myself"
    r"|in-house)\b"
    rf"|\b{_COPY_WORD}\s+(?:included|incluid[oa]s?|inclus|inklusive|dabei)\b"
    rf"|\b{_COPY_WORD}\s+(?:is|are)\s+(?:ours|on us|covered|sorted|handled)\b"
    rf"|\b{_COPY_WORD}\s+a gente (?:manda|envia|escreve|faz|passa)\b"
    rf"|\ba gente (?:manda|envia|escreve|passa) o {_COPY_WORD}\b"
    rf"|\b{_COPY_WORD}\s+(?:lo |la |los |las |o |os |le |les )?(?:escribimos|mandamos|enviamos|ponemos|damos|pasamos"
    r"|proporcionamos|escrevemos|fornecemos|passamos|ecrivons|fournissons|redigeons)\b"
    rf"|\b(?:tenemos|temos|haben wir|wir haben|nous avons|on a)\s+(?:el |los |la |las |o |os |den |die |das |le |les )?"
    rf"{_COPY_WORD}\b|\b{_COPY_WORD}\s+(?:haben wir|tenemos|temos)\b"
    rf"|\b{_COPY_WORD}\s+(?:kommt|kommen|viene|vienen|vient|viennent|vem)\s+(?:von uns|de nosotros|de nous|da gente"
    r"|de nos|de nossa parte)\b"
    rf"|\b{_COPY_WORD}\s+(?:(?:e|es|son|sao|ist|sind)\s+)?(?:connosco|conosco|nosso|nossos|nossa|nuestro|nuestros"
    r"|de nuestra parte|por nuestra cuenta|por nossa conta|von uns|a nous|de notre cote)\b"
)
_COPY_NONE = re.compile(
    rf"\bno {_COPY_WORD} (?:needed|required|necessary|on|in)\b|\b{_COPY_WORD} (?:is )?not (?:needed|required)\b"
    rf"|\b(?:don'?t|do not|doesn'?t|does not) need (?:any |a )?{_COPY_WORD}\b|\bwithout (?:any )?{_COPY_WORD}\b"
    r"|\b(?:sin|ohne|sans|sem) (?:texto|text|texte|copy)\b|\bkein(?:en)? text\b"
)
#: "Le texte, vous pouvez l'écrire ?", "can you write the copy": the team is asked to write it.
_CAN_YOU = (
    r"vous pouvez|pouvez-vous|tu peux|peux-tu|can you|could you|puedes|podeis|pueden|podrian|konnt ihr|konnen sie"
    r"|kannst du|voces podem|podem|pode"
)
_WRITE = r"ecrire|rediger|write|draft|escribir|redactar|schreiben|texten|escrever|redigir"
_COPY_NEEDED = re.compile(
    rf"\bno {_COPY_WORD}(?: yet)?\b|\b{_COPY_WORD}\s+(?:is\s+)?(?:needed|tbd|tbc|to be (?:written|defined|confirmed)"
    rf"|missing|pending)\b|\bneed(?:s)?\s+(?:the\s+|some\s+)?{_COPY_WORD}\b|\bwrite\s+(?:the\s+|some\s+)?"
    rf"{_COPY_WORD}\b|\bwrite it\b|\b{_COPY_WORD}\s+written\b|\bdon'?t have (?:any )?{_COPY_WORD}\b"
    r"|\bneeds? copywriting\b|\b(?:precisamos|preciso|necesitamos|necesito|brauchen|brauche)\s+(?:d[oe]s?\s+|el\s+"
    r"|un\s+|einen\s+|den\s+)?(?:texto|text|copy)\b|\bbesoin d(?:u |e |')\s*(?:un )?texte\b"
    rf"|\b{_COPY_WORD}\s+(?:a|por|zu|para)\s+(?:rediger|ecrire|escribir|redactar|schreiben|escrever|redigir)\b"
    rf"|\b{_COPY_WORD}\s+(?:brauchen|brauche)\s+wir\s+von\s+euch\b"
    rf"|\b{_COPY_WORD}\b[^.!?\n]{{0,20}}?\b(?:{_CAN_YOU})\s+(?:l'|le |la |lo |it |das |den |o )?(?:{_WRITE})"
    r"(?:lo|la|los|las)?\b"
    rf"|\b(?:{_CAN_YOU})\s+(?:\w+\s+)?(?:{_WRITE})\s+(?:le |les |the |el |los |den |die |o |os )?{_COPY_WORD}\b"
    rf"|\b(?:{_CAN_YOU})\s+(?:den |die |das |el |le |o |the )?{_COPY_WORD}\s+(?:{_WRITE})\b"
)
_SENTENCE_END = re.compile(r"[.!?;,\n]|$")
#: "don't have copy yet", "no tenemos textos", "wir haben keinen Text": the team writes it.
_NOT_HAVE = re.compile(
    rf"\b(?:(?:we|i) )?(?:don'?t|do not|haven'?t|have not) (?:got |have )?(?:any |the )?{_COPY_WORD}\b"
    rf"|\bno (?:tenemos|tengo) (?:el |los |ningun )?{_COPY_WORD}\b"
    rf"|\bnao (?:temos|tenho) (?:o |os |nenhum )?{_COPY_WORD}\b"
    rf"|\bwir haben (?:noch )?kein(?:en)? {_COPY_WORD}\b|\b(?:nous )?n'avons pas de {_COPY_WORD}\b"
    rf"|\bon n'a pas de {_COPY_WORD}\b|\b{_COPY_WORD}\s+(?:lo |la )?ten[eé]is que hacer vosotros\b"
    rf"|\b{_COPY_WORD}\s+(?:e|fica) com voces\b|\bden {_COPY_WORD} schreibt ihr\b"
)


def extract_copy(message: Message) -> str | None:
    """The copy itself (quoted or labelled), who provides it, or "copy needed"."""
    if _NOT_HAVE.search(message.folded):
        return "copy needed"
    if m := _QUOTED.search(message.folded):
        start, end = m.span("a") if m["a"] else m.span("b")
        return message.text(start, end)
    if m := _COPY_PROVIDED.search(message.folded):
        return trim(clause(message, m.start())[0].split(",")[0])
    if m := _COPY_NONE.search(message.folded):
        start = message.folded.rfind(",", 0, m.start()) + 1
        stop = _SENTENCE_END.search(message.folded, m.start())
        return message.text(start, stop.start() if stop else len(message.folded))
    if _COPY_NEEDED.search(message.folded):
        return "copy needed"
    if m := _COPY_LABEL.search(message.folded):
        return message.text(*m.span("v"))
    return None
