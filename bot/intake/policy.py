"""How one message changes the draft, whichever engine read it (SPEC 2.1 "How the bot listens").

The engine proposes the fields a message states; this module decides what the draft becomes: implausible
values dropped, channels added unless the requester says "only", other lists replaced only when the message
corrects them, a type change moving the old type's own fields into the notes — and says, in words, what changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.contract import Extraction
from bot.analysis.date_words import fold
from bot.analysis.merge import apply
from bot.analysis.plausibility import plausible_update
from bot.analysis.rules.corrections import CORRECTION
from bot.briefs.catalog import Catalog
from bot.briefs.model import FIELD_NAMES, LIST_FIELDS, Brief, field_word
from bot.briefs.summary import format_value, titled
from bot.platform.i18n import ENGLISH, N_, speaking, t
from bot.platform.text import words

_ONLY = re.compile(
    r"\b(?:only|just|exclusively|solo|solamente|unicamente|nur|ausschliesslich|seulement|uniquement|apenas|somente)\b"
)
#: Fields never acknowledged one by one (the title is derived; files are listed in the brief).
_QUIET = frozenset({"title", "assets"})


#: Field labels a requester may type before a value ("type: print", "Zielgruppe: HR"), by field.
_LABELS: dict[str, tuple[str, ...]] = {
    "request_type": ("type", "kind", "request type", "tipo", "typ", "art"),
    "channels": ("channels", "channel", "canales", "canal", "kanale", "kanal", "canaux", "canais"),
    "objective": ("objective", "goal", "aim", "objetivo", "meta", "ziel", "objectif", "but"),
    "audience": ("audience", "target", "target audience", "publico", "zielgruppe", "cible", "public"),
    "deadline": ("deadline", "due", "due date", "fecha", "fecha limite", "frist", "termin", "echeance", "prazo"),
    "platforms": ("platforms", "platform", "plataformas", "plataforma", "plattformen", "plattform", "plateformes"),
    "formats": ("formats", "format", "sizes", "size", "formatos", "formato", "formate", "tamanos"),
    "duration": ("duration", "length", "duracion", "dauer", "lange", "duree", "duracao"),
    "copy": ("copy", "text", "texto", "texte"),
    "url": ("url", "link", "page"),
    "quantity": ("quantity", "qty", "cantidad", "menge", "anzahl", "quantite", "quantidade"),
    "slide_count": ("slides", "slide count", "diapositivas", "folien", "diapos"),
    "markets": ("markets", "market", "mercados", "markte", "marches", "mercado"),
    "usage": ("usage", "use", "uso", "verwendung", "utilisation"),
    "campaign": ("campaign", "campana", "kampagne", "campagne", "campanha"),
    "budget": ("budget", "presupuesto", "orcamento"),
    "approver": ("approver", "aprobador", "freigabe", "approbateur"),
}
_LABELLED = re.compile(r"^\s*(?P<label>[a-z ]{2,20}?)\s*[:=]\s*(?P<value>\S.*)$")
_ANOTHER_LABEL = re.compile(r"(?:^|[.;,\n]\s*)[a-z ]{2,20}:\s")
_BY_LABEL = {label: name for name, labels in _LABELS.items() for label in labels}


def labelled_edit(text: str) -> tuple[str, str] | None:
    """A message that names one field and gives its value ("audience: HR leaders"): the field and the value."""
    match = _LABELLED.match(fold(text)) if "\n" not in text.strip() else None
    name = _BY_LABEL.get(match["label"].strip()) if match else None
    if match is None or name is None or _ANOTHER_LABEL.search(match["value"]):
        return None
    return name, text[match.start("value") :].strip()


@dataclass(frozen=True)
class Merged:
    """The draft after a message, and the words that tell the requester what changed."""

    brief: Brief
    changes: list[str]


def merge(draft: Brief, extraction: Extraction, text: str, catalog: Catalog) -> Merged:
    """The draft after this message's extraction, by the rules of SPEC 2.1."""
    folded = fold(text)
    update = plausible_update(extraction.update)
    proposal = extraction.model_copy(update={"update": update})
    after = apply(draft, proposal, catalog)
    after = _lists(draft, after, update, folded)
    after, moved = _type_change(draft, after, update, catalog)
    after = titled(after)
    return Merged(after, changes(draft, after, moved))


def _lists(draft: Brief, after: Brief, update: Brief, folded: str) -> Brief:
    """Lists named again gain the new items, unless the message says "only" or corrects them ("LinkedIn, not
    Instagram": the engine's list stands); channels are corrected only with "only"."""
    only, correcting = bool(_ONLY.search(folded)), bool(CORRECTION.search(folded))
    data = after.model_dump(mode="json")
    for name in ("channels", "platforms", "formats", "markets"):
        old, new = draft.get(name), update.get(name)
        if old and new and not only and (name == "channels" or not correcting):
            data[name] = list(dict.fromkeys([*old, *new]))
    return Brief.model_validate(data)


def _type_change(draft: Brief, after: Brief, update: Brief, catalog: Catalog) -> tuple[Brief, list[str]]:
    """A new type clears the old type's own fields (this message's kept); they go to the notes in words."""
    old, new = draft.request_type, after.request_type
    if not old or not new or old == new or old not in catalog.request_types:
        return after, []
    keep = set(catalog.required_fields(new))
    gone = [f for f in catalog.request_types[old].required if f not in keep and after.has(f) and not update.has(f)]
    if not gone:
        return after, []
    with speaking(ENGLISH):  # the notes are read by creative ops
        lines = "; ".join(f"{field_word(f)} {format_value(f, after.get(f))}" for f in gone)
        note = f"From the earlier {format_value('request_type', old)} brief: {lines}"
    notes = "\n".join(filter(None, [after.notes, note]))
    return after.without(*gone).model_copy(update={"notes": notes}), gone


def _shown(name: str, brief: Brief) -> str:
    return words(format_value(name, brief.get(name)))


def changes(before: Brief, after: Brief, moved: list[str] | None = None) -> list[str]:
    """What the message changed, in words: "Updated platforms: LinkedIn, YouTube (was Instagram, YouTube)."."""
    lines: list[str] = []
    for name in FIELD_NAMES:
        if name in _QUIET or not before.has(name) or before.get(name) == after.get(name):
            continue
        label, was = field_word(name), _shown(name, before)
        if not after.has(name):
            gone = (
                N_("Moved to the notes: {label} (was {was}).")
                if moved and name in moved
                else N_("Removed: {label} (was {was}).")
            )
            lines.append(t(gone, label=label, was=was))
        elif name in LIST_FIELDS and set(before.get(name)) < set(after.get(name)):
            added = Brief.model_validate({name: [v for v in after.get(name) if v not in before.get(name)]})
            lines.append(t("Added {label}: {value}.", label=label, value=_shown(name, added)))
        elif name != "notes":
            lines.append(t("Updated {label}: {value} (was {was}).", label=label, value=_shown(name, after), was=was))
    return lines


def new_fields(before: Brief, after: Brief) -> list[str]:
    """The fields this message filled for the first time."""
    return [n for n in FIELD_NAMES if n not in _QUIET and after.has(n) and not before.has(n)]
