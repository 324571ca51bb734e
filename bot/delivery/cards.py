"""What a message or form shows, as plain data; the Slack side decides how (Block Kit, action ids).

Every card is a pydantic model registered under its ``kind``, so a card waiting in the outbox is stored as
JSON and read back as the same card.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel


class Action(StrEnum):
    """What a person can do from a message (SPEC 6.5); the Slack side maps each to its button or select."""

    SUBMIT = "submit"
    EDIT = "edit"
    NEW_REQUEST = "new_request"
    APPROVE = "approve"
    REQUEST_INFO = "request_info"
    REJECT = "reject"
    ASSIGN = "assign"
    PRIORITY = "priority"
    START = "start"
    BLOCKED = "blocked"
    DELIVERED = "delivered"
    ACCEPT = "accept"
    REQUEST_CHANGES = "request_changes"
    KEEP_RUSH = "keep_rush"
    MOVE_EARLIEST = "move_earliest"
    NEW_WORK = "new_work"
    SAME_REQUEST = "same_request"


_KINDS: dict[str, type[Card]] = {}


class Card(BaseModel):
    """A message body or a form; subclasses name their ``kind``."""

    kind: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:
            _KINDS[cls.kind] = cls

    def to_json(self) -> dict[str, Any]:
        """The card as JSON data, tagged with its kind."""
        return {"kind": self.kind, **self.model_dump(mode="json")}


def card_from_json(data: dict[str, Any]) -> Card:
    """The card that ``Card.to_json`` wrote."""
    fields = dict(data)
    return _KINDS[fields.pop("kind")].model_validate(fields)


class Notice(Card):
    """A reply, shown as it is written (chat text: people's words in it already escaped)."""

    kind = "notice"
    text: str
