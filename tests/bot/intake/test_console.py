"""The console (SPEC 6.2): whole messages from the terminal, the same commands as Slack, where a submission went."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pytest
from support import add_request, make_services, stored

from bot.intake.console import IDLE_S, Console, End, FdLines, messages
from bot.platform.clock import FixedClock
from bot.services import Services
from storage.db import Database

PASTE = [
    "need a 30s youtube pre-roll, 16:9,",
    "due in 3 weeks",
    "Goal: drive sign-ups for the spring launch",
    "Audience: marketing managers in DACH",
]


class Script:
    """Lines as a terminal would give them: ``End.IDLE`` where the requester paused; each wait is recorded."""

    def __init__(self, *items: str | End) -> None:
        self.items: Iterator[str | End] = iter(items)
        self.timeouts: list[float | None] = []

    def get(self, timeout: float | None) -> str | End:
        self.timeouts.append(timeout)
        return next(self.items, End.EOF)


@pytest.fixture
def console_services(db: Database, clock: FixedClock) -> Services:
    """The services without Slack, as the console runs them."""
    return make_services(db, clock)


def talk(services: Services, *items: str | End, ops_channel: str | None = None) -> str:
    out = io.StringIO()
    Console(services.intake, out, "UTC", ops_channel).run(Script(*items))
    return out.getvalue()


def test_a_paste_is_one_message_however_many_lines() -> None:
    script = Script(*PASTE, End.IDLE, "submit", End.IDLE)
    assert list(messages(script, IDLE_S)) == ["\n".join(PASTE), "submit"]
    assert script.timeouts[:2] == [None, IDLE_S]  # the first line is awaited; then a pause ends the message


def test_a_blank_line_or_the_end_of_input_ends_a_message_and_blank_lines_alone_are_nothing() -> None:
    script = Script("", "  ", "first line", "second line", "", "", "next message", "  trailing  ")
    assert list(messages(script, None)) == ["first line\nsecond line", "next message\n  trailing"]
    assert set(script.timeouts) == {None}  # piped input: paragraphs, no pause ends a message


def test_a_pasted_brief_gets_one_reply_and_is_submitted(console_services: Services, db: Database) -> None:
    out = talk(console_services, *PASTE, End.IDLE, "submit", End.IDLE)
    assert out.count("> ") == 3  # two messages, then the end of input
    assert "Here is your brief" in out and "?" not in out.split("Here is your brief")[0]
    assert "Audience: marketing managers in DACH" in out
    assert stored(db, "CR-0001").status == "submitted"


def test_a_submission_without_an_ops_channel_says_it_is_stored_only(console_services: Services) -> None:
    out = talk(console_services, "\n".join(PASTE), End.IDLE, "submit")
    assert "Submitted as CR-0001: Drive sign-ups for the spring launch — YouTube video 30s — stored only" in out
    assert "no ops channel is configured, so nobody was notified" in out
    assert "keep you posted here" not in out


def test_a_submission_with_an_ops_channel_says_the_slack_app_posts_it(console_services: Services) -> None:
    out = talk(console_services, "\n".join(PASTE), End.IDLE, "submit", ops_channel="C0OPS")
    assert "Submitted as CR-0001" in out and "the Slack app posts it to creative ops' channel" in out


def test_linked_requests_are_shown_and_submitted_together(console_services: Services) -> None:
    ask = (
        "a 30s video for YouTube, 16:9, and 3 Instagram posts, square, due in 5 weeks. Goal: sign-ups. "
        "Audience: students. We'll provide the copy"
    )
    out = talk(console_services, ask, End.IDLE, "submit")
    assert "Here are your 2 linked briefs" in out and "Quantity: 3" in out
    assert "Submitted as CR-0001, CR-0002: " in out and "— stored only" in out


def test_cancel_with_a_reference_withdraws_the_request_as_in_slack(console_services: Services, db: Database) -> None:
    out = talk(console_services, "\n".join(PASTE), End.IDLE, "submit", End.IDLE, "cancel CR-0001", "", "cancel cr-0001")
    assert "CR-0001 “Drive sign-ups for the spring launch — YouTube video 30s” is cancelled." in out
    assert "CR-0001 is already cancelled; nothing changed." in out
    assert stored(db, "CR-0001").status == "cancelled"


def test_cancel_of_someone_elses_request_is_refused_in_words(console_services: Services, db: Database) -> None:
    ref = add_request(db, requester_id="U0OTHER")
    out = talk(console_services, f"cancel {ref}", "", "cancel CR-0999")
    assert f"Only the requester (@U0OTHER) can do that for {ref}; nothing changed." in out
    assert "There is no request CR-0999." in out
    assert "<@" not in out
    assert stored(db, ref).status == "submitted"


def test_stdin_lines_arrive_whole_and_waiting_for_more_can_time_out() -> None:
    read, write = os.pipe()
    lines = FdLines(read)
    os.write(write, b"first\r\ncaf\xc3")  # "é" split across two reads
    assert lines.get(None) == "first"
    os.write(write, b"\xa9 au lait\nno line end")
    assert lines.get(None) == "café au lait"
    assert lines.get(0) is End.IDLE  # "no line end" is not a line yet
    os.close(write)
    assert lines.get(None) == "no line end"
    assert lines.get(None) is End.EOF
    os.close(read)


def test_the_console_speaks_the_language_typed_in_or_the_one_it_is_told(console_services: Services) -> None:
    german = "Wir brauchen ein YouTube-Video von 30 Sekunden im Format 16:9 bis zum 27. März"
    assert "Verstanden: Video" in talk(console_services, german)
    out = io.StringIO()
    Console(console_services.intake, out, "UTC", language="pt", user="U2").run(
        Script(*PASTE, End.IDLE, "submit", End.IDLE)
    )
    assert "Aqui está o seu brief" in out.getvalue() and "Duração: 30s" in out.getvalue()
    assert "Enviada como CR-0001" in out.getvalue()
