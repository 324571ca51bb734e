"""Entry point and command line (SPEC 6.2); ``python app.py …`` behaves like the ``creative-intake`` script.

Commands run on the services that bootstrap.py (the composition root) builds once per process.
Configuration problems end in one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import atexit
import ctypes
import json
import logging
import os
import re
import signal
import subprocess
import sys
import threading
from contextlib import suppress
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TextIO
from urllib.error import URLError
from urllib.parse import urlsplit, urlunsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bootstrap import build_analyzer, build_services, database_timeouts, log_secrets
from bot.analysis.contract import AnalysisContext
from bot.analysis.merge import apply
from bot.analysis.output import analysis_json
from bot.briefs.catalog import CatalogError, load_catalog
from bot.briefs.model import Brief
from bot.delivery.leases import Leases
from bot.delivery.outbox import Dispatcher, OutboxPort
from bot.delivery.ports import DeliveryFailed
from bot.digests.compose import OPS_DIGEST
from bot.digests.runs import Result
from bot.intake.console import IDLE_S, Console, FdLines, intro
from bot.jobs import build_scheduler
from bot.platform.calendar import local_date
from bot.platform.clock import SystemClock, check_zone
from bot.platform.i18n import LANGUAGES
from bot.platform.language import warm_up
from bot.platform.logs import configure_logging
from bot.platform.memory import freeze_start_up
from bot.platform.settings import Settings, SettingsError, load_settings
from bot.reporting.export import iter_rows, write_csv, write_json
from bot.reporting.weekly import CHART_FORMATS, Window, render_chart, summary_lines
from bot.services import Services
from bot.team.roster import RosterRefused, TeamFileError, import_roster, load_roster, plan_import
from storage.db import Database, DatabaseError

EXIT_USAGE = 2
#: Where the console's log lines go when stderr would print them into the conversation (SPEC 6.2 console).
CONSOLE_LOG = Path("creative-intake.log")
log = logging.getLogger(__name__)
#: A Slack conversation id: a public channel (C…), a private channel (G…, older ones) or a DM (D…).
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")
#: The start-up check's Slack calls: one try each, this many seconds at most.
SLACK_CHECK_TIMEOUT_S = 5
#: The check's own client logs nowhere: slack_sdk logs each failed call, and the one line printed says it all.
_QUIET = logging.getLogger("creative_intake.slack_check")
_QUIET.propagate = False
_QUIET.addHandler(logging.NullHandler())
#: Answers that say nothing about the token or the channel: Slack is down, busy or not Slack at all.
_SLACK_UNAVAILABLE = frozenset(
    {"fatal_error", "internal_error", "request_timeout", "service_unavailable", "ratelimited"}
)


class UsageError(Exception):
    """Bad command-line input; the message is the whole explanation."""


class SlackCheckError(Exception):
    """Slack refused the token or the ops channel at start (SPEC 6.1); the message is the whole explanation."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="creative-intake",
        description=(
            "Creative request intake for Slack. With no command: the Slack app when SLACK_BOT_TOKEN is set, "
            "the terminal console otherwise."
        ),
    )
    sub = parser.add_subparsers(dest="command")
    console = sub.add_parser("console", help="the intake conversation in the terminal")
    console.add_argument(
        "--lang", choices=LANGUAGES, help="the language the bot speaks (default: the language of the first message)"
    )
    analyze = sub.add_parser("analyze", help="analyse one request text from stdin and print JSON")
    analyze.add_argument("--engine", choices=["auto", "rules", "llm"], default="auto")
    analyze.add_argument("--today", type=_iso_date, help="the date to resolve relative dates against")
    analyze.add_argument("--tz", help="the requester's time zone (default: TIMEZONE)")
    analyze.add_argument("--jsonl", action="store_true", help="one JSON object with id and text per line")
    run = sub.add_parser("run", help="the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP)")
    run.add_argument("--http", action="store_true", help="serve HTTP even when SLACK_APP_TOKEN is set")
    run.add_argument("--port", type=int, help="HTTP port (default: PORT)")
    run.add_argument("--no-scheduler", action="store_true", help="do not run digests and reports here")
    run.add_argument(
        "--workers", type=_count, metavar="N", help="worker processes beside the web process (default: WORKERS)"
    )
    worker = sub.add_parser("worker", help="worker processes: the work of Slack deliveries, and posts to Slack")
    worker.add_argument("--processes", type=_count, default=1, metavar="N", help="worker processes (default 1)")
    worker.add_argument("--threads", type=_count, metavar="N", help="threads per process (default: WORKER_THREADS)")
    team = sub.add_parser("team", help="the roster of ops managers and designers")
    team_sub = team.add_subparsers(dest="team_command", required=True)
    team_import = team_sub.add_parser("import", help="replace the roster with a YAML file (SPEC 6.4)")
    team_import.add_argument("file", type=Path)
    team_import.add_argument("--dry-run", action="store_true", help="print what would change; change nothing")
    team_import.add_argument(
        "--force", action="store_true", help="remove designers even if they hold active work (it stays assigned)"
    )
    team_sub.add_parser("list", help="print the roster")
    export = sub.add_parser("export", help="every request with its fields, status and history")
    export.add_argument("--format", choices=["csv", "json"], default="json")
    digest = sub.add_parser("digest", help="send today's digests now, whatever the day and hour (once per date)")
    digest.add_argument("--ops", action="store_true", help="the ops digest (alone, unless --designer is given)")
    digest.add_argument("--designer", action="append", metavar="U…", help="this designer's digest (repeatable)")
    digest.add_argument("--dry-run", action="store_true", help="print the digests; send and claim nothing")
    report = sub.add_parser(
        "report", help="the report of the last full Monday–Sunday week now: to the ops channel, or to a file"
    )
    report.add_argument(
        "--out", type=Path, metavar="FILE", help="render the chart offline to FILE.png, FILE.pdf or FILE.svg"
    )
    report.add_argument("--from", dest="first", type=_iso_date, metavar="YYYY-MM-DD", help="first day (with --to)")
    report.add_argument("--to", dest="last", type=_iso_date, metavar="YYYY-MM-DD", help="last day, included")
    sub.add_parser("scheduler", help="the scheduler alone (digests, nudges, report), for scale-out layouts")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply pending migrations")
    return parser


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 0 <= number <= 64:
        raise argparse.ArgumentTypeError(f"between 0 and 64, got {number}")
    return number


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def _zone(name: str) -> str:
    try:
        return check_zone(name)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def cmd_analyze(args: argparse.Namespace, settings: Settings) -> int:
    """Print the SPEC 6.3 analysis of stdin (one object, or one per input line with --jsonl)."""
    catalog = load_catalog(settings.catalog_file)
    analyzer = build_analyzer(settings, catalog, args.engine)
    tz = _zone(args.tz or settings.timezone)
    today = args.today or local_date(SystemClock().now(), tz)

    def analyze(text: str, item_id: object = None) -> dict[str, object]:
        ctx = AnalysisContext(today=today, timezone=tz, catalog=catalog)
        extraction = analyzer.extract(text, ctx)
        brief = apply(Brief(), extraction, catalog)
        return analysis_json(brief, catalog, today, extraction.usage.engine, extraction.fallback_reason, item_id)

    if not args.jsonl:
        text = sys.stdin.read()
        if not text.strip():
            raise UsageError("analyze: nothing to analyse: stdin is empty (pipe one request text into it)")
        print(json.dumps(analyze(text), ensure_ascii=False))
        return 0
    status, seen = 0, False
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        seen = True
        try:
            item = json.loads(line)
            text, item_id = item["text"], item.get("id", number)
            if not isinstance(text, str) or not text.strip():
                raise TypeError
        except (ValueError, KeyError, TypeError):
            print(
                f"creative-intake: line {number}: expected a JSON object with a non-empty string 'text'",
                file=sys.stderr,
            )
            status = 1
            continue
        print(json.dumps(analyze(text, item_id), ensure_ascii=False), flush=True)
    if not seen:
        raise UsageError("analyze --jsonl: nothing to analyse: stdin has no lines")
    return status


def cmd_console(
    settings: Settings, first_line: str | None = None, log_file: Path | None = None, language: str | None = None
) -> int:
    """The terminal conversation: whole messages from stdin, replies on stdout; log lines never among them."""
    services = build_services(settings)
    if first_line:
        print(first_line)
    console = Console(services.intake, sys.stdout, settings.timezone, settings.ops_channel_id, language=language)
    idle_s = IDLE_S if sys.stdin.isatty() else None  # piped input: messages are paragraphs
    return console.run(FdLines(sys.stdin.fileno()), idle_s, intro(str(log_file) if log_file else None))


def same_destination(one: TextIO, other: TextIO) -> bool:
    """Whether two streams show in the same place: one terminal, or one file or pipe (``2>&1``)."""
    try:
        if one.isatty() and other.isatty():
            return True
        a, b = os.fstat(one.fileno()), os.fstat(other.fileno())
    except (OSError, ValueError):  # no file descriptor (a test's stream) or a closed one
        return False
    return a.st_ino != 0 and (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def console_log(stdout: TextIO, stderr: TextIO) -> Path | None:
    """The file the console logs to: CONSOLE_LOG when stderr would show in the conversation, else None
    (stderr)."""
    return CONSOLE_LOG if same_destination(stdout, stderr) else None


def cmd_db_upgrade(settings: Settings) -> int:
    """Apply migrations and say which."""
    db = Database(settings.database_url, database_timeouts(settings))
    migrated = db.upgrade()
    if migrated.applied:
        print(f"database {db.safe_url}: applied {', '.join(migrated.applied)}; now at {migrated.current}")
    else:
        print(f"database {db.safe_url} is up to date ({migrated.current or 'no migrations'})")
    return 0


def _chat(services: Services) -> OutboxPort:
    """The port to Slack (the settings that need it were required first)."""
    assert services.chat is not None
    return services.chat


def _send_now(services: Services) -> None:
    """Send what a command queued in the outbox now (no worker may be running); what Slack does not take now
    stays queued for the workers."""
    chat = _chat(services)
    Dispatcher(services.uow, chat.inner, services.clock, services.settings.ops_channel_id).drain()


def check_ops_channel_id(settings: Settings) -> None:
    """A channel name where the id belongs (``general``, ``#general``) is refused with a hint (SPEC 6.1)."""
    channel = settings.ops_channel_id
    if channel and not _CHANNEL_ID.fullmatch(channel):
        raise SettingsError(
            f"invalid setting OPS_CHANNEL_ID: {channel!r} is not a channel id; use the channel's id "
            "(like C0123ABCDEF: in Slack, open the channel's details, it is at the bottom)"
        )


def _shown_url(url: str) -> str:
    """SLACK_API_URL without any credentials in it, for messages."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])) if "@" in parts.netloc else url


def _unreachable(settings: Settings, reason: str) -> SlackCheckError:
    return SlackCheckError(f"cannot reach Slack at {_shown_url(settings.slack_api_url)}: {reason}")


def _slack_call(settings: Settings, call: Any, **params: Any) -> dict[str, Any]:
    """One Web API call's answer (``ok`` false included); a network failure or a non-Slack answer is raised."""
    try:
        return dict(call(**params).data)
    except SlackApiError as exc:
        response = exc.response
        error = str(response.get("error") or "") if isinstance(response.data, dict) else ""
        if response.status_code != 200 or error.startswith("Received a response in a non-JSON format"):
            detail = f" ({error})" if error and not error.startswith("Received") else ""
            raise _unreachable(settings, f"HTTP {response.status_code}{detail}") from None
        if error in _SLACK_UNAVAILABLE:
            raise _unreachable(settings, error) from None
        return {"ok": False, "error": error or "unknown_error", "needed": response.get("needed")}
    except URLError as exc:
        reason = exc.reason
        raise _unreachable(settings, getattr(reason, "strerror", None) or str(reason)) from None
    except (OSError, ValueError) as exc:  # timeouts, resets; a URL urllib cannot use
        raise _unreachable(settings, getattr(exc, "strerror", None) or str(exc) or type(exc).__name__) from None


def check_slack(settings: Settings) -> None:
    """Before serving: Slack accepts SLACK_BOT_TOKEN (``auth.test``) and the bot can post to OPS_CHANNEL_ID.

    One try per call with a short timeout (no retries: a wrong setting is not worth waiting for); each problem
    is one line naming what is wrong. A check Slack cannot answer for want of a scope is logged and skipped.
    """
    assert settings.slack_bot_token is not None and settings.ops_channel_id is not None
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=SLACK_CHECK_TIMEOUT_S,
        retry_handlers=[],
        logger=_QUIET,
    )
    auth = _slack_call(settings, client.auth_test)
    if not auth.get("ok"):
        raise SlackCheckError(f"SLACK_BOT_TOKEN was refused by Slack ({auth.get('error')})")
    channel = settings.ops_channel_id
    problem = _channel_problem(settings, client, channel)
    if problem:
        raise SlackCheckError(f"the bot cannot post to OPS_CHANNEL_ID {channel}: {problem}")


def _channel_problem(settings: Settings, client: WebClient, channel: str) -> str | None:
    """Why the bot cannot post in ``channel`` (the error and what to do), or None when it can or Slack cannot say."""
    info = _slack_call(settings, client.conversations_info, channel=channel)
    if info.get("error") == "missing_scope":  # no channels:read/groups:read: membership shows in the history call
        info = _slack_call(settings, client.conversations_history, channel=channel, limit=1)
    if info.get("ok"):
        found = info.get("channel")
        if not isinstance(found, dict):
            return None
        if found.get("is_archived"):
            return "is_archived — unarchive the channel or set OPS_CHANNEL_ID to another one"
        if not found.get("is_im") and found.get("is_member") is False:
            return "not_in_channel — invite the app to the channel"
        return None
    error = str(info.get("error"))
    if error == "not_in_channel":
        return "not_in_channel — invite the app to the channel"
    if error == "channel_not_found":
        return "channel_not_found — check the id; for a private channel, invite the app to it first"
    if error == "is_archived":
        return "is_archived — unarchive the channel or set OPS_CHANNEL_ID to another one"
    if error == "missing_scope":
        log.warning("OPS_CHANNEL_ID not checked: the app lacks a scope", extra={"needed": info.get("needed")})
        return None
    return error


def cmd_run(
    settings: Settings, http: bool = False, port: int | None = None, scheduler: bool = True, workers: int | None = None
) -> int:
    """The Slack app, in Socket Mode or over HTTP: acks here, the work in ``workers`` worker processes."""
    from handlers.app import create_app
    from handlers.server import serve_http, serve_socket_mode

    settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    socket_mode = settings.slack_app_token is not None and not http
    if not socket_mode:
        settings.require("SLACK_SIGNING_SECRET")
    check_slack(settings)
    services = build_services(settings)
    app = create_app(services, socket_mode=socket_mode)
    count = settings.workers if workers is None else workers
    if count:
        # on PostgreSQL the workers yield the CPU to the acks; on SQLite they must not: a worker holding the one
        # write lock at a low priority would keep every ack waiting behind it
        niceness = 0 if services.db.dialect == "sqlite" else WORKER_NICENESS
        WorkerProcesses(count, settings.worker_threads, niceness).start()
    if scheduler:
        build_scheduler(services, _chat(services)).start()
    freeze_start_up()
    if socket_mode:
        assert settings.slack_app_token is not None
        serve_socket_mode(app, settings.slack_app_token.get_secret_value())
    else:
        serve_http(app, services, port or settings.port)
    return 0


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def cmd_team_import(args: argparse.Namespace, settings: Settings) -> int:
    """Replace the roster with FILE: the changes printed; refused when it leaves no ops manager, or removes a
    designer who holds active work without --force; with --dry-run nothing is stored."""
    # TEAM_FILE is not synced first: the changes printed are against the roster as stored.
    services = build_services(settings.model_copy(update={"team_file": None}))
    source = str(args.file)
    roster = load_roster(args.file, services.catalog, source)
    if args.dry_run:
        plan = plan_import(services.uow, roster)
        for change in plan.changes:
            print(change.describe())
        refusal = plan.refusal(args.force)
        if refusal:
            raise RosterRefused(f"{source}: {refusal}")
        print(f"dry run: nothing changed; importing {source} would leave {_people(plan.people)} ({plan.tally()})")
        if plan.busy:
            print(f"with --force, still assigned to designers no longer in the roster: {plan.busy_list()}")
        return 0
    plan = import_roster(services.uow, roster, source, force=args.force)
    for change in plan.changes:
        print(change.describe())
    print(f"roster imported: {_people(plan.people)} ({plan.tally()})")
    if plan.busy:
        print(f"still assigned to designers no longer in the roster: {plan.busy_list()}; reassign them in triage")
    if settings.team_file is not None:
        print(f"note: TEAM_FILE {settings.team_file} is synced at every start and will replace this roster")
    return 0


def cmd_team(args: argparse.Namespace, settings: Settings) -> int:
    """Import or list the roster."""
    if args.team_command == "import":
        return cmd_team_import(args, settings)
    directory = build_services(settings).directory
    print("ops managers: " + (", ".join(m.slack_id for m in directory.ops_managers()) or "none"))
    for member in directory.designers():
        print(
            f"designer {member.slack_id} {member.name or '-'}: skills {', '.join(member.skills) or 'none'}; "
            f"capacity {member.capacity_points} pts/week; {member.timezone}"
        )
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Print every request as CSV or JSON."""
    rows = iter_rows(build_services(settings).uow)
    if args.format == "csv":
        write_csv(rows, sys.stdout)
    else:
        write_json(rows, sys.stdout)
        sys.stdout.write("\n")
    return 0


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    """Send (or print, with --dry-run) today's digests now; nobody gets two for the same local date."""
    with_ops = args.ops or not args.designer
    if not args.dry_run:
        settings.require("SLACK_BOT_TOKEN", *(["OPS_CHANNEL_ID"] if with_ops else []))
    services = build_services(settings)
    known = {member.slack_id for member in services.directory.designers()}
    unknown = [user for user in args.designer or [] if user not in known]
    if unknown:
        raise UsageError(f"{unknown[0]} is not a designer in the roster")
    designers = args.designer or ([] if args.ops else None)  # --ops alone: no designer digests
    port = None if args.dry_run else _chat(services)
    outcomes = services.digests.run(
        port, services.clock.now(), designers=designers, ops=with_ops, scheduled=False, dry_run=args.dry_run
    )
    for outcome in outcomes:
        label = "ops digest" if outcome.kind == OPS_DIGEST else "designer digest"
        if outcome.result is Result.PREVIEW:
            print(outcome.text, end="\n\n")
        elif outcome.result is Result.SENT:
            print(f"{label} sent to {outcome.recipient} for {outcome.period}")
        elif outcome.result is Result.ALREADY_SENT:
            print(f"{label} for {outcome.recipient}: already sent for {outcome.period}, nothing sent")
        else:
            print(f"{label} for {outcome.recipient}: {outcome.result}")
    if args.dry_run:
        print("(dry run: nothing was sent or claimed)")
    else:
        _send_now(services)
    return 1 if any(outcome.result is Result.FAILED for outcome in outcomes) else 0


def _chart_format(out: Path) -> str:
    """The chart format ``out``'s extension asks for; refused unless matplotlib writes it here."""
    fmt = out.suffix.lower().removeprefix(".")
    if fmt not in CHART_FORMATS:
        shown = f"a .{fmt} file" if fmt else "a file without an extension"
        raise UsageError(f"cannot write {out}: the chart is written as .png, .pdf or .svg, not {shown}")
    return fmt


def _report_window(args: argparse.Namespace, services: Services) -> Window:
    """--from/--to (both, or neither: the last full Monday–Sunday week in TIMEZONE)."""
    if args.first is None and args.last is None:
        return services.report.window(services.clock.now())
    if args.first is None or args.last is None:
        raise UsageError("report: --from and --to go together (YYYY-MM-DD, both days included)")
    if args.first > args.last:
        raise UsageError(f"report: --from {args.first} is after --to {args.last}")
    return Window.between(args.first, args.last, services.report.timezone)


def cmd_report(args: argparse.Namespace, settings: Settings) -> int:
    """The report of the last full week (or --from/--to): to a file with --out (offline), else to the ops channel."""
    fmt = _chart_format(args.out) if args.out is not None else None
    if args.out is None:
        settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    services = build_services(settings)
    window = _report_window(args, services)
    if args.out is not None and fmt is not None:
        figures = services.report.figures(window)
        try:
            args.out.write_bytes(render_chart(figures, fmt))
        except OSError as exc:
            raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        print("\n".join([window.heading(), *summary_lines(figures), f"chart written to {args.out}"]))
        return 0
    try:
        figures = services.report.post(_chat(services), services.clock.now(), window)
    except DeliveryFailed as exc:
        print(f"creative-intake: the report could not be posted ({exc})", file=sys.stderr)
        return 1
    _send_now(services)
    label = "weekly report" if figures.window.is_week else "report"
    print(f"{label} for {figures.window.describe()} posted to {settings.ops_channel_id}")
    return 0


def cmd_worker(settings: Settings, processes: int, threads: int | None) -> int:
    """Worker processes in the foreground until SIGTERM or Ctrl-C: the inbox's work, the outbox's posts."""
    from handlers.app import build_workers, handler_context

    settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    if processes < 1:
        raise UsageError("worker --processes must be at least 1")
    threads = threads or settings.worker_threads
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stop.set())
    if processes > 1:
        children = WorkerProcesses(processes, threads).start()
        print(f"{processes} worker processes started, {threads} threads each (Ctrl-C stops them)", flush=True)
        stop.wait()
        children.stop()
        return 0
    services = build_services(settings)
    warm_up()
    freeze_start_up()
    leases = Leases(timedelta(seconds=settings.worker_lease_s))
    workers = build_workers(handler_context(services), threads, leases=leases).start()
    print(f"worker started: {threads} threads on the inbox, 2 on the outbox (Ctrl-C stops it)", flush=True)
    stop.wait()
    workers.stop()
    return 0


class WorkerProcesses:
    """``count`` child ``worker`` processes, each restarted when it dies, stopped with this process (and, on
    Linux, killed by the kernel if this process is killed)."""

    def __init__(self, count: int, threads: int, niceness: int = 0) -> None:
        self.niceness = niceness
        self.command = [sys.executable, str(Path(__file__).resolve()), "worker", "--threads", str(threads)]
        self.children: list[subprocess.Popen[bytes]] = []
        self.count, self._stopping = count, threading.Event()
        self._owner = os.getpid()  # a forked process (gunicorn's worker) inherits this object, not the children

    def start(self) -> WorkerProcesses:
        """Start the children and the thread that restarts them."""
        self.children = [self._spawn() for _ in range(self.count)]
        threading.Thread(target=self._watch, name="worker-processes", daemon=True).start()
        atexit.register(self.stop)
        return self

    def stop(self) -> None:
        """Stop every child: SIGTERM, then SIGKILL after 10 s."""
        if os.getpid() != self._owner:
            return
        self._stopping.set()
        for child in self.children:
            child.terminate()
        for child in self.children:
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.command, preexec_fn=partial(_child_setup, self.niceness))  # noqa: S603 (our own command)

    def _watch(self) -> None:
        while not self._stopping.wait(1.0):
            for index, child in enumerate(self.children):
                if child.poll() is not None and not self._stopping.is_set():
                    log.error("worker process died; starting another", extra={"code": child.returncode})
                    self.children[index] = self._spawn()


#: How much lower the CPU priority of ``run``'s worker children is (on PostgreSQL): they share the host with the
#: web process, whose acks must answer within Slack's 3 s however busy the workers are.
WORKER_NICENESS = 10


def _child_setup(niceness: int) -> None:
    """In a child, before it runs: SIGTERM when the parent dies (Linux's PR_SET_PDEATHSIG), and its priority."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)
    if niceness:
        with suppress(OSError):
            os.nice(niceness)


def cmd_scheduler(settings: Settings) -> int:
    """The scheduler alone, in the foreground, for layouts whose web workers run ``run --no-scheduler``."""
    settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    check_slack(settings)
    services = build_services(settings)
    scheduler = build_scheduler(services, _chat(services), blocking=True)
    print(
        "scheduler started: digests, nudges, weekly report, triage repair, draft expiry, pruning (Ctrl-C stops it)",
        flush=True,
    )
    scheduler.start()
    return 0


def is_console(args: argparse.Namespace, settings: Settings) -> bool:
    """Whether the command line runs the console (``console``, or no command without a bot token)."""
    return args.command == "console" or (args.command is None and settings.slack_bot_token is None)


def dispatch(args: argparse.Namespace, settings: Settings, log_file: Path | None = None) -> int:
    """Run the chosen command; none means the Slack app when configured, the console otherwise; ``log_file`` is
    where the console's log lines go, when not to stderr."""
    if args.command == "analyze":
        return cmd_analyze(args, settings)
    if args.command == "db":
        return cmd_db_upgrade(settings)
    if args.command == "team":
        return cmd_team(args, settings)
    if args.command == "export":
        return cmd_export(args, settings)
    if args.command == "digest":
        return cmd_digest(args, settings)
    if args.command == "report":
        return cmd_report(args, settings)
    if args.command == "scheduler":
        return cmd_scheduler(settings)
    if args.command == "worker":
        return cmd_worker(settings, args.processes, args.threads)
    if args.command == "console":
        return cmd_console(settings, log_file=log_file, language=args.lang)
    if args.command == "run":
        return cmd_run(settings, args.http, args.port, not args.no_scheduler, args.workers)
    if settings.slack_bot_token is not None:
        return cmd_run(settings)
    return cmd_console(
        settings, "No SLACK_BOT_TOKEN set: starting the terminal console instead of the Slack app.", log_file
    )


def main(argv: list[str] | None = None) -> int:
    """Parse, configure, run; known failures become one line on stderr."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        settings = load_settings()
        check_ops_channel_id(settings)
        serving = args.command in ("run", "scheduler", "worker") or (args.command is None and settings.slack_bot_token)
        log_file = console_log(sys.stdout, sys.stderr) if is_console(args, settings) else None
        configure_logging(logging.INFO if serving else logging.WARNING, log_secrets(settings), file=log_file)
        return dispatch(args, settings, log_file)
    except (SettingsError, CatalogError, DatabaseError, TeamFileError, UsageError, SlackCheckError) as exc:
        print(f"creative-intake: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
