"""Block Kit for App Home (SPEC 2.5)."""

from __future__ import annotations

from typing import Any

from bot.platform.text import format_date, human, words
from bot.requests.home import HomeEntry, HomeSection, HomeView
from handlers.blocks.ids import ACTION_NEW_REQUEST
from handlers.blocks.kit import MAX_VIEW_BLOCKS, Block, button, context, divider, header, section


def _line(entry: HomeEntry) -> str:
    due = f" · due {format_date(entry.due_date)}" if entry.due_date else ""
    return f"*{entry.ref}* {words(entry.title)} — {human(entry.status)} · {entry.priority}{due}"


def _section(home: HomeSection) -> list[Block]:
    blocks: list[Block] = [header(home.title)]
    if not home.entries:
        return [*blocks, context(home.empty)]
    blocks += [section(_line(e)) for e in home.entries]
    if home.more:
        blocks.append(context(f"…and {home.more} more"))
    return blocks


def home_view(home: HomeView) -> dict[str, Any]:
    """The Home tab: the invitation with New request, then each section, divided."""
    blocks: list[Block] = [section(home.intro, accessory=button("New request", ACTION_NEW_REQUEST, style="primary"))]
    for number, part in enumerate(home.sections):
        blocks += ([divider()] if number else []) + _section(part)
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
