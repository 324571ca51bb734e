"""The draft as the LLM is shown it (long values cut), and the guard that a cut view never replaces a stored value."""

from __future__ import annotations

import re
from typing import Any

from bot.briefs.model import LIST_FIELDS, Brief

#: Each draft value is shown to the model at most this long (then cut, ending in ``CUT_MARK``)…
MAX_DRAFT_VALUE_CHARS = 200
#: …and a list at most this many items (then followed by a ``…+N more`` item).
MAX_DRAFT_LIST_ITEMS = 10
CUT_MARK = "…"
_MORE_ITEMS = re.compile(r"^\s*…\s*\+?\s*\d+\s+more\s*$")


def shown(value: object) -> object:
    """A draft value as the model is shown it: long text cut, long lists cut and saying how many more."""
    if isinstance(value, str) and len(value) > MAX_DRAFT_VALUE_CHARS:
        return value[:MAX_DRAFT_VALUE_CHARS] + CUT_MARK
    if isinstance(value, list):
        items = [shown(v) for v in value[:MAX_DRAFT_LIST_ITEMS]]
        hidden = len(value) - MAX_DRAFT_LIST_ITEMS
        return items + [f"{CUT_MARK}+{hidden} more"] if hidden > 0 else items
    return value


def _words(text: str) -> str:
    """Text with its whitespace normalised, for comparisons a model's echo may not keep byte for byte."""
    return " ".join(text.split())


def _from_cut_text(returned: str, stored: str) -> bool:
    """Whether ``returned`` comes from the cut view of a long ``stored`` string rather than from the message.

    It does when the stored value starts with it (an echo, with or without the cut mark) or when it starts
    with the whole visible part (the cut view, extended): either way it cannot replace the stored value.
    """
    if len(stored) <= MAX_DRAFT_VALUE_CHARS:
        return False
    text, full = _words(returned.strip().removesuffix(CUT_MARK)), _words(stored)
    return full.startswith(text) or text.startswith(_words(stored[:MAX_DRAFT_VALUE_CHARS]))


def _kept_list(returned: list[Any], stored: list[Any]) -> list[Any] | None:
    """The list a returned list stands for, or None when it changes nothing.

    Items that echo a cut item are mapped back to the stored item; ``…+N more`` is not an item. A list the
    model saw whole is taken as returned (a changed list field is returned whole: "LinkedIn, not Instagram").
    For a list shown cut, a returned list with nothing new is unchanged; with new items, the new items are
    added, the visible items left out are removed when the model kept at least one visible item (it edited
    the list), and the items it never saw are always kept.
    """
    visible = stored[:MAX_DRAFT_LIST_ITEMS]
    items: list[Any] = []
    for item in returned:
        if isinstance(item, str) and _MORE_ITEMS.match(item):
            continue
        if item not in stored and isinstance(item, str):
            long_items = (s for s in visible if isinstance(s, str) and _from_cut_text(item, s))
            item = next(long_items, item)
        items.append(item)
    items = list(dict.fromkeys(items))
    if len(stored) > MAX_DRAFT_LIST_ITEMS:
        new = [item for item in items if item not in stored]
        if not new:
            return None
        edited = any(item in items for item in visible)
        removed = {item for item in visible if item not in items} if edited else set()
        items = [item for item in stored if item not in removed] + new
    return None if items == stored else items


def kept_changes(update: Brief, draft: Brief) -> Brief:
    """The update without values that only repeat what the model was shown of the draft.

    A returned value equal to the shown (or stored) one is unchanged; a string from the cut view of a long
    value is unchanged; a list is read by ``_kept_list``. Unchanged values are dropped, so the stored value
    stands: the LLM never shortens the brief.
    """
    stored = draft.known()
    data = update.model_dump(mode="json")
    for name, value in update.known().items():
        if name == "title" or name not in stored:
            continue
        before = stored[name]
        kept: Any = value
        if value in (before, shown(before)):
            kept = None
        elif isinstance(value, list) and isinstance(before, list):
            kept = _kept_list(value, before)
        elif isinstance(value, str) and isinstance(before, str) and _from_cut_text(value, before):
            kept = None
        data[name] = kept if kept is not None else ([] if name in LIST_FIELDS else None)
    return Brief.model_validate(data)
