"""The intake conversation in a terminal: the same engine, storage, catalog and commands as Slack.

What the requester types is read as whole messages: the lines of a paste make one message, which ends at a
blank line, at the end of input, or (in a terminal) when no more lines arrive within a short pause.
"""

from __future__ import annotations

import codecs
import os
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Protocol, TextIO

from bot.briefs.summary import brief_text
from bot.delivery.cards import Card
from bot.delivery.ports import Message, Posted, Target
from bot.intake.flows import IntakeFlows
from bot.intake.messages import Incoming, Reply, ReplyKind
from bot.platform.i18n import speaking, t
from bot.platform.text import defused, unescape, words
from storage.models import Request

CONSOLE_USER = "console"
#: In a terminal, a message ends when no further line arrives within this many seconds (a paste arrives at once).
IDLE_S = 0.3
_READ_SIZE = 65536


class End(Enum):
    """What a line source gives instead of a line."""

    IDLE = "idle"  # no line arrived in time
    EOF = "eof"  # the input is over


class Lines(Protocol):
    """Where the requester's lines come from."""

    def get(self, timeout: float | None) -> str | End:
        """The next line (without its line end); End.IDLE when none arrives within ``timeout`` seconds (None:
        wait as long as it takes), End.EOF once the input is over."""


class FdLines:
    """The lines of a file descriptor (stdin), read by a daemon thread so that waiting for one can time out.

    The thread reads the descriptor itself, not ``sys.stdin``: it holds no lock that the interpreter needs at exit.
    """

    def __init__(self, fd: int, encoding: str = "utf-8") -> None:
        self._fd, self._queue = fd, queue.SimpleQueue[str | End]()
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        threading.Thread(target=self._read, name="console-input", daemon=True).start()

    def get(self, timeout: float | None) -> str | End:
        """The next line, End.IDLE after ``timeout`` seconds without one, End.EOF at the end."""
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return End.IDLE

    def _read(self) -> None:
        pending = ""
        try:
            while chunk := os.read(self._fd, _READ_SIZE):
                *lines, pending = (pending + self._decoder.decode(chunk)).split("\n")
                for line in lines:
                    self._queue.put(line.removesuffix("\r"))
        except OSError:
            pass  # a terminal hung up: the input is over
        finally:
            if pending := pending + self._decoder.decode(b"", final=True):
                self._queue.put(pending)
            self._queue.put(End.EOF)


def messages(lines: Lines, idle_s: float | None) -> Iterator[str]:
    """The requester's messages: lines up to a blank line, the end of input, or ``idle_s`` seconds without a
    line once a message has begun (None: only blank lines and the end of input end a message)."""
    message: list[str] = []
    while True:
        line = lines.get(idle_s if message else None)
        if isinstance(line, str) and line.strip():
            message.append(line.rstrip())
            continue
        if message:
            yield "\n".join(message)
            message = []
        if line is End.EOF:
            return


def intro(log_file: str | None = None) -> str:
    """The console's first line; it names the file the log lines go to when they go to one."""
    logs = f"; log lines go to {log_file}" if log_file else ""
    return f"Describe the creative work you need (type `help` for commands, Ctrl-D to quit{logs})."


def submitted_text(requests: list[Request], ops_channel: str | None) -> str:
    """Where a console submission (linked requests together) went, in words."""
    ref = ", ".join(r.ref or "" for r in requests)
    title = "; ".join(words(r.title) for r in requests)
    if ops_channel:
        return t(
            "Submitted as {ref}: {title} — stored; the Slack app posts it to creative ops' channel within minutes "
            "while it runs.",
            ref=ref,
            title=title,
        )
    return t(
        "Submitted as {ref}: {title} — stored only: no ops channel is configured, so nobody was notified; "
        "`creative-intake export` lists it.",
        ref=ref,
        title=title,
    )


def render(reply: Reply, ops_channel: str | None = None) -> str:
    """A reply as terminal text, in the reply's language."""
    with speaking(reply.language):
        return _render(reply, ops_channel)


def _render(reply: Reply, ops_channel: str | None) -> str:
    parts = [reply.notice] if reply.notice else []
    if reply.fallback_reason:
        parts.append(f"(the LLM was unavailable — {reply.fallback_reason}; used the rules engine)")
    submitted = reply.kind is ReplyKind.SUBMITTED and reply.request is not None
    requests = [reply.request, *reply.linked_requests] if submitted and reply.request else []
    parts.append(submitted_text(requests, ops_channel) if requests else reply.text)
    text = terminal_text("\n".join(parts))
    if reply.kind is ReplyKind.CONFIRM and reply.brief is not None:
        text += "\n\n".join(["", *(brief_text(b) for b in [reply.brief, *reply.linked])])
    return text


def terminal_text(text: str) -> str:
    """Chat text as a terminal shows it: unescaped, mentions as plain words."""
    return unescape(defused(text))


@dataclass
class ConsolePort:
    """The chat port of the console: what is posted to the requester's conversation is printed; the rest (the
    ops channel, designers' DMs, Home tabs, forms) has nobody to see it in a terminal and is dropped."""

    user: str
    timezone: str
    out: TextIO
    #: The language the console was told to speak (``--lang``), as a locale; None: read from what is typed.
    locale: str | None = None

    def post(
        self,
        channel: str,
        text: str,
        card: Card | None = None,  # noqa: ARG002  (a terminal shows the text)
        thread_ts: str | None = None,  # noqa: ARG002  (a terminal has no threads)
        target: Target | None = None,  # noqa: ARG002  (nothing posted is remembered)
    ) -> Posted | None:
        """Print a message to the requester; None: nothing was posted anywhere."""
        if channel == self.user:
            self.out.write(terminal_text(text) + "\n")
        return None

    def update(self, channel: str, ts: str, text: str, card: Card | None = None, target: Target | None = None) -> None:
        """Nothing to update: the console's messages are printed once."""

    def replace_or_post(self, channel: str, ts: str, text: str, card: Card | None = None) -> None:  # noqa: ARG002
        """Printed anew, like a post."""
        self.post(channel, text, card)

    def signal(self, channel: str, text: str) -> Posted | None:  # noqa: ARG002
        """No progress indicator in the terminal."""
        return None

    def reply_to(self, channel: str, target: Target, text: str) -> None:  # noqa: ARG002
        """Printed like a post when it is the requester's conversation."""
        self.post(channel, text)

    def delete(self, channel: str, ts: str) -> None:
        """Nothing printed can be removed."""

    def ephemeral(self, channel: str, user: str, text: str, thread_ts: str | None = None) -> None:  # noqa: ARG002
        """Printed when it is for the requester."""
        if user == self.user:
            self.post(self.user, text)

    def open_dm(self, user: str) -> str:
        """A user's conversation is their id (the console user's is the console)."""
        return user

    def user_timezone(self, user: str) -> str:  # noqa: ARG002
        """The console's time zone, for everyone."""
        return self.timezone

    def known_timezone(self, user: str) -> str:  # noqa: ARG002
        """The console's time zone, for everyone."""
        return self.timezone

    def user_locale(self, user: str) -> str | None:  # noqa: ARG002
        """The console's forced language, for everyone (None: detected from the text)."""
        return self.locale

    def known_locale(self, user: str) -> str | None:
        return self.user_locale(user)

    def open_form(self, trigger_id: str, form: Card) -> None:
        """No forms in the terminal."""

    def permalink(self, channel: str, ts: str) -> str | None:  # noqa: ARG002
        """No links in the terminal."""
        return None

    def message(self, channel: str, ts: str) -> Message | None:  # noqa: ARG002
        """No other conversations in the terminal."""
        return None

    def channel_name(self, channel: str) -> str | None:  # noqa: ARG002
        """No channels in the terminal."""
        return None

    def upload_file(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        """No files in the terminal."""

    def publish_home(self, user: str, home: Card) -> None:
        """No Home tab in the terminal."""


@dataclass
class Console:
    """One requester's conversation in the terminal, through the same intake flows as Slack."""

    intake: IntakeFlows
    out: TextIO
    timezone: str
    ops_channel: str | None = None
    user: str = CONSOLE_USER
    #: ``--lang``: the language to speak whatever is typed; None: the language of the first message.
    language: str | None = None

    def run(self, lines: Lines, idle_s: float | None = IDLE_S, first: str | None = None) -> int:
        """Answer every message until the end of input; ``first`` is the opening line (``intro()`` by default)."""
        self.out.write((first or intro()) + "\n")
        incoming = messages(lines, idle_s)
        while True:
            self.out.write("> ")
            self.out.flush()
            text = next(incoming, None)
            if text is None:
                self.out.write("\n")
                return 0
            self.answer(text)

    def answer(self, text: str) -> None:
        """One message: ``cancel CR-…`` withdraws a submitted request as in Slack; the rest is the conversation."""
        port = ConsolePort(self.user, self.timezone, self.out, self.language)
        if self.intake.cancelled_request(port, self.user, self.user, text):
            return
        incoming = Incoming(self.user, self.user, text, self.timezone, language=self.language)
        reply = self.intake.conversation.handle(incoming)
        self.out.write(render(reply, self.ops_channel) + "\n")
        self.out.flush()
