"""Linked requests (SPEC 2.7): one brief per deliverable in a draft, sharing what is common, one in focus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.analysis.rules.deliverables import OWN_FIELDS
from bot.briefs.model import FIELD_NAMES, Brief
from bot.briefs.summary import deliverable, derive_title

#: What the deliverables of one ask share; a change to one of these while one is in focus applies to all.
SHARED = tuple(name for name in FIELD_NAMES if name not in (*OWN_FIELDS, "title"))


def titled(brief: Brief) -> Brief:
    return brief.model_copy(update={"title": derive_title(brief)})


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
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]


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

    def others(self) -> list[Brief]:
        return [b for i, b in enumerate(self.members) if i != self.focus]

    def in_order(self, focus_brief: Brief) -> list[Brief]:
        """Every member in the order the requester named them, the focus as it is now."""
        return [focus_brief if i == self.focus else b for i, b in enumerate(self.members)]
