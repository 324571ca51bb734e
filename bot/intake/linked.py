"""Linked requests (SPEC 2.7): one brief per deliverable in a draft, sharing what is common, one in focus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.analysis.date_words import fold
from bot.analysis.rules.deliverables import OWN_FIELDS, piece_type
from bot.briefs.model import FIELD_NAMES, Brief
from bot.briefs.summary import deliverable, titled
from bot.platform.i18n import t

#: What the deliverables of one ask share; a change to one of these while one is in focus applies to all.
SHARED = tuple(name for name in FIELD_NAMES if name not in (*OWN_FIELDS, "title"))


def with_shared(own: Brief, source: Brief) -> Brief:
    """``own``'s deliverable fields with ``source``'s shared ones."""
    data = own.model_dump(mode="json")
    shared = source.model_dump(mode="json")
    data.update({name: shared[name] for name in SHARED})
    return titled(Brief.model_validate(data))


def changed_shared(before: Brief, after: Brief) -> dict[str, Any]:
    """The shared fields a message changed, JSON-ready."""
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return {name: new[name] for name in SHARED if old[name] != new[name]}


def listing(briefs: list[Brief]) -> str:
    """ "a YouTube video 30s and 3 Instagram posts"."""
    names = [deliverable(b, capital=False) for b in briefs]
    return t("{items} and {last}", items=", ".join(names[:-1]), last=names[-1]) if len(names) > 1 else names[0]


def _speaks_of(piece: str, members: list[Brief]) -> int | None:
    """The member a piece of a message names ("for the video", "the posts"), by its type or its own words."""
    kind = piece_type(piece)
    said = set(fold(piece).split())
    named = [
        i
        for i, brief in enumerate(members)
        if brief.request_type == kind or said & {w for w in fold(deliverable(brief)).split() if len(w) > 3}
    ]
    return named[0] if len(named) == 1 else None


def route(pieces: list[str], members: list[Brief], focus: int) -> dict[int, list[str]]:
    """Which member each piece of a message is about, when it names one other than the focus ("9:16 for the
    video, square for the posts"); pieces before the first name are the focus's. Empty when it names no other."""
    routes: dict[int, list[str]] = {}
    owner = focus
    for piece in pieces:
        owner = hit if (hit := _speaks_of(piece, members)) is not None else owner
        routes.setdefault(owner, []).append(piece)
    return routes if set(routes) - {focus} else {}


@dataclass
class Group:
    """The deliverables of a draft (kept in its ``pending``); ``members[focus]`` is the brief being worked on."""

    members: list[Brief]
    focus: int = 0

    @classmethod
    def of(cls, pending: dict[str, Any]) -> Group | None:
        group = pending.get("group")
        if not group:
            return None
        return cls([Brief.model_validate(b) for b in group["members"]], int(group["focus"]))

    def store(self, pending: dict[str, Any], focus_brief: Brief) -> None:
        """Keep the group in ``pending`` with the focus brief as it is now."""
        self.members[self.focus] = focus_brief
        pending["group"] = {"members": [b.model_dump(mode="json") for b in self.members], "focus": self.focus}

    def share(self, changes: dict[str, Any]) -> None:
        """Apply shared-field changes to the members not in focus."""
        for i, brief in enumerate(self.members):
            if i != self.focus and changes:
                self.members[i] = titled(Brief.model_validate({**brief.model_dump(mode="json"), **changes}))

    def in_order(self, focus_brief: Brief) -> list[Brief]:
        """Every member in the order the requester named them, the focus as it is now."""
        return [focus_brief if i == self.focus else b for i, b in enumerate(self.members)]
