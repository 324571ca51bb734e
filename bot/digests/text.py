"""Digests as lines of text: what each list holds and says, in a format the surface chooses.

The plain format here serves dry runs, the console and notification texts; the Slack side passes its own
rich format (bold references, icons) to the same functions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from bot.digests.compose import STALE_INFO_WORKDAYS, DesignerDigest, Entry, LoadRow, OpsDigest
from bot.platform.text import clamp, format_date, human, plural

#: Longest list shown in one digest section; the rest is counted as "…and N more".
MAX_LINES = 25
MAX_TITLE = 80
_FLAGS = (("overdue", "OVERDUE"), ("at_risk", "AT RISK"), ("new", "NEW"))
#: Said after a designer's load when it is over their capacity, as the ops digest's load table says it.
OVER_CAPACITY_NOTE = ": over capacity"


class LineFormat(Protocol):
    """How a surface writes one digest line from its parts."""

    def designer(self, entry: Entry, title: str, flags: list[str], details: list[str]) -> str: ...
    def ops(self, entry: Entry, title: str, detail: str) -> str: ...
    def load(self, name: str, details: list[str]) -> str: ...


class PlainLines:
    """Lines for a terminal or a notification."""

    def designer(self, entry: Entry, title: str, flags: list[str], details: list[str]) -> str:
        return " ".join([f"[{', '.join(flags)}]" if flags else "-", entry.ref, title, "—", " · ".join(details)])

    def ops(self, entry: Entry, title: str, detail: str) -> str:
        return f"- {entry.ref} {title} — {detail}"

    def load(self, name: str, details: list[str]) -> str:
        return f"- {name} — {' · '.join(details)}"


PLAIN = PlainLines()


def due(entry: Entry) -> str:
    """``due Mon 2 Mar 2026`` or ``no due date``."""
    return f"due {format_date(entry.due)}" if entry.due else "no due date"


def age(entry: Entry) -> str:
    """``today`` or ``3 working days``."""
    days = entry.age or 0
    return "today" if days == 0 else plural(days, "working day")


def shortened(lines: list[str], limit: int = MAX_LINES) -> list[str]:
    """At most ``limit`` lines, the rest counted."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"…and {len(lines) - limit} more"]


def designer_lines(digest: DesignerDigest, fmt: LineFormat = PLAIN) -> list[str]:
    """Each of a designer's requests, most urgent first."""
    lines = []
    for entry in digest.entries:
        flags = [label for flag, label in _FLAGS if getattr(entry, flag)]
        details = [due(entry), human(entry.status)]
        if entry.priority != "normal":
            details.append(f"{entry.priority} priority")
        lines.append(fmt.designer(entry, clamp(entry.title, MAX_TITLE), flags, details))
    return lines


def designer_summary(digest: DesignerDigest) -> str:
    """One line: how many requests, overdue, at risk and new, and the load."""
    parts = [plural(len(digest.entries), "active request")]
    parts += [
        f"{n} {label}"
        for n, label in (
            (digest.count("overdue"), "overdue"),
            (digest.count("at_risk"), "at risk"),
            (digest.count("new"), "new since your last digest"),
        )
        if n
    ]
    load = f"Load {digest.load.describe()}"
    return f"{', '.join(parts)}. {load}{OVER_CAPACITY_NOTE if over_capacity(digest) else ''}."


def over_capacity(digest: DesignerDigest) -> bool:
    """Whether the designer's active work is worth more points than their weekly capacity (as ops see it)."""
    return digest.load.free < 0


def designer_notification(digest: DesignerDigest) -> str:
    """The digest DM's notification text."""
    return f"Your requests for {format_date(digest.day)}: {designer_summary(digest)}"


def designer_text(digest: DesignerDigest) -> str:
    """The designer digest as plain text (dry runs)."""
    return "\n".join(
        [
            f"Digest for {digest.name} ({digest.designer_id}), {format_date(digest.day)}: {designer_summary(digest)}",
            *shortened(designer_lines(digest)),
        ]
    )


def _load_line(row: LoadRow, fmt: LineFormat) -> str:
    details = [row.load.describe(), f"{row.active} active"]
    if row.overdue:
        details.append(f"{row.overdue} overdue")
    if row.load.free < 0:
        details.append("over capacity")
    return fmt.load(row.name, details)


def _overdue_detail(entry: Entry) -> str:
    return " · ".join(filter(None, [due(entry), human(entry.status), entry.assignee]))


def ops_lists(digest: OpsDigest, fmt: LineFormat = PLAIN) -> list[tuple[str, list[str]]]:
    """Each titled list of the ops digest, as lines."""

    def lines(entries: Sequence[Entry], detail: Callable[[Entry], str]) -> list[str]:
        return [fmt.ops(entry, clamp(entry.title, MAX_TITLE), detail(entry)) for entry in entries]

    return [
        (
            f"Awaiting triage ({len(digest.awaiting_triage)})",
            lines(digest.awaiting_triage, lambda e: f"waiting {age(e)}"),
        ),
        (
            f"Waiting on the requester for more than {STALE_INFO_WORKDAYS} working days ({len(digest.stale_info)})",
            lines(digest.stale_info, lambda e: f"asked {age(e)} ago"),
        ),
        (f"Approved, not assigned ({len(digest.unassigned)})", lines(digest.unassigned, due)),
        (f"Overdue ({len(digest.overdue)})", lines(digest.overdue, _overdue_detail)),
        ("Load", [_load_line(row, fmt) for row in digest.loads]),
    ]


def ops_summary(digest: OpsDigest) -> str:
    """One line with the size of each list."""
    return (
        f"{len(digest.awaiting_triage)} awaiting triage, {len(digest.stale_info)} waiting on requesters, "
        f"{len(digest.unassigned)} approved but unassigned, {len(digest.overdue)} overdue."
    )


def ops_notification(digest: OpsDigest) -> str:
    """The ops digest's notification text."""
    return f"Creative ops digest for {format_date(digest.day)}: {ops_summary(digest)}"


def ops_text(digest: OpsDigest) -> str:
    """The ops digest as plain text."""
    out = [f"Ops digest, {format_date(digest.day)}: {ops_summary(digest)}"]
    for title, lines in ops_lists(digest):
        out += [f"{title}:", *(shortened(lines) or ["- none"])]
    return "\n".join(out)
