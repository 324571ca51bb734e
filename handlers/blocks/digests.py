"""Block Kit for digests: the same lists as the plain text, with bold references and status icons."""

from __future__ import annotations

from bot.digests.compose import DesignerDigest, Entry, OpsDigest
from bot.digests.text import designer_lines, designer_summary, ops_lists, ops_summary, over_capacity, shortened
from bot.platform.text import format_date, words
from handlers.blocks.kit import Block, context, fit_message, header, section

_SECTION_CHUNK = 2900


class RichLines:
    """Digest lines in mrkdwn."""

    def designer(self, entry: Entry, title: str, flags: list[str], details: list[str]) -> str:
        icon = ":red_circle:" if entry.overdue else ":large_orange_circle:" if entry.at_risk else ":white_circle:"
        marks = "".join(f" `{flag.lower()}`" for flag in flags)
        return f"{icon} *{entry.ref}* {words(title)} — {' · '.join(details)}{marks}"

    def ops(self, entry: Entry, title: str, detail: str) -> str:
        return f"• *{entry.ref}* {words(title)} — {detail}"

    def load(self, name: str, details: list[str]) -> str:
        return f"• {words(name)} — {' · '.join(details)}"


RICH = RichLines()


def _sections(title: str, lines: list[str]) -> list[Block]:
    """``title`` and its lines as sections, each within Slack's text limit."""
    blocks: list[Block] = []
    chunk = f"*{title}*"
    for line in shortened(lines):
        if len(chunk) + 1 + len(line) > _SECTION_CHUNK:
            blocks.append(section(chunk))
            chunk = line
        else:
            chunk += "\n" + line
    return [*blocks, section(chunk)]


def designer_blocks(digest: DesignerDigest) -> list[Block]:
    """The designer digest DM; a load over capacity is said in its own line, not only in the summary."""
    warning = (
        [section(f":warning: *Over capacity*: {digest.load.describe()} of active work; ops can rebalance it.")]
        if over_capacity(digest)
        else []
    )
    return fit_message(
        [
            header(f"Your requests for {format_date(digest.day)}"),
            context(designer_summary(digest)),
            *warning,
            *_sections("By due date", designer_lines(digest, RICH)),
        ]
    )


def ops_blocks(digest: OpsDigest) -> list[Block]:
    """The ops digest; empty lists say "none"."""
    blocks = [header(f"Creative ops digest for {format_date(digest.day)}"), context(ops_summary(digest))]
    for title, lines in ops_lists(digest, RICH):
        blocks += _sections(title, lines or ["_none_"])
    return fit_message(blocks)
