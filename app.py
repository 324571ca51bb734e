"""Entry point and command line (SPEC 6.2); ``python app.py …`` behaves like the ``creative-intake`` script.

The composition root: the only module that wires the domain (bot), Slack (handlers) and storage together.
Configuration problems end in one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.analysis.base import AnalysisContext, analysis_json
from bot.analysis.service import apply
from bot.brief import Brief
from bot.catalog import CatalogError, load_catalog
from bot.console import run_console
from bot.export import export_rows, to_csv, to_json
from bot.scheduler import build_scheduler
from bot.services import build_analyzer, build_services
from bot.settings import Settings, SettingsError, load_settings
from bot.team import Directory, TeamFileError, load_roster, sync_roster
from storage.db import Database, DatabaseError

EXIT_USAGE = 2


class UsageError(Exception):
    """Bad command-line input; the message is the whole explanation."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="creative-intake", description=(
        "Creative request intake for Slack. With no command: the Slack app when SLACK_BOT_TOKEN is set, "
        "the terminal console otherwise."))
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("console", help="the intake conversation in the terminal")
    analyze = sub.add_parser("analyze", help="analyse one request text from stdin and print JSON")
    analyze.add_argument("--engine", choices=["auto", "rules", "llm"], default="auto")
    analyze.add_argument("--today", type=_iso_date, help="the date to resolve relative dates against")
    analyze.add_argument("--tz", help="the requester's time zone (default: TIMEZONE)")
    analyze.add_argument("--jsonl", action="store_true", help="one JSON object with id and text per line")
    run = sub.add_parser("run", help="the Slack app (Socket Mode when SLACK_APP_TOKEN is set, else HTTP)")
    run.add_argument("--http", action="store_true", help="serve HTTP even when SLACK_APP_TOKEN is set")
    run.add_argument("--port", type=int, help="HTTP port (default: PORT)")
    run.add_argument("--no-scheduler", action="store_true", help="do not run digests and reports here")
    team = sub.add_parser("team", help="the roster of ops managers and designers")
    team_sub = team.add_subparsers(dest="team_command", required=True)
    team_import = team_sub.add_parser("import", help="replace the roster with a YAML file (SPEC 6.4)")
    team_import.add_argument("file", type=Path)
    team_sub.add_parser("list", help="print the roster")
    export = sub.add_parser("export", help="every request with its fields, status and history")
    export.add_argument("--format", choices=["csv", "json"], default="json")
    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply pending migrations")
    return parser


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def _zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}") from None
    return name


def cmd_analyze(args: argparse.Namespace, settings: Settings) -> int:
    """Print the SPEC 6.3 analysis of stdin (one object, or one per input line with --jsonl)."""
    catalog = load_catalog(settings.catalog_file)
    analyzer = build_analyzer(settings, catalog, args.engine)
    tz = _zone(args.tz or settings.timezone)
    today = args.today or datetime.now(ZoneInfo(tz)).date()

    def analyze(text: str, item_id: object = None) -> dict[str, object]:
        ctx = AnalysisContext(today=today, timezone=tz, catalog=catalog)
        extraction = analyzer.extract(text, ctx)
        brief = apply(Brief(), extraction, catalog)
        return analysis_json(brief, catalog, today, extraction.usage.engine, extraction.fallback_reason, item_id)

    if not args.jsonl:
        print(json.dumps(analyze(sys.stdin.read()), ensure_ascii=False))
        return 0
    status = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, item_id = item["text"], item.get("id", number)
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            print(f"creative-intake: line {number}: expected a JSON object with a string 'text'", file=sys.stderr)
            status = 1
            continue
        print(json.dumps(analyze(text, item_id), ensure_ascii=False), flush=True)
    return status


def cmd_console(settings: Settings, first_line: str | None = None) -> int:
    """The interactive terminal conversation."""
    services = build_services(settings)
    if first_line:
        print(first_line)
    return run_console(services.conversation, sys.stdin, sys.stdout, settings.timezone)


def cmd_db_upgrade(settings: Settings) -> int:
    """Apply migrations."""
    db = Database(settings.database_url)
    db.upgrade()
    print(f"database {db.safe_url} is up to date")
    return 0


def cmd_run(settings: Settings, http: bool = False, port: int | None = None, scheduler: bool = True) -> int:
    """The Slack app, in Socket Mode or over HTTP."""
    from handlers.app import create_app, scheduler_port
    from handlers.server import serve_http, serve_socket_mode

    settings.require("SLACK_BOT_TOKEN", "OPS_CHANNEL_ID")
    socket_mode = settings.slack_app_token is not None and not http
    if not socket_mode:
        settings.require("SLACK_SIGNING_SECRET")
    services = build_services(settings)
    app = create_app(services, socket_mode=socket_mode)
    if scheduler:
        build_scheduler(services.conversation, scheduler_port(services)).start()
    if socket_mode:
        assert settings.slack_app_token is not None
        serve_socket_mode(app, settings.slack_app_token.get_secret_value())
    else:
        serve_http(app, services, port or settings.port)
    return 0


def cmd_team(args: argparse.Namespace, settings: Settings) -> int:
    """Import or list the roster."""
    services = build_services(settings)
    if args.team_command == "import":
        count = sync_roster(services.db, load_roster(args.file, services.catalog))
        print(f"roster imported: {count} people")
        return 0
    directory = Directory(services.db)
    print("ops managers: " + (", ".join(m.slack_id for m in directory.ops_managers()) or "none"))
    for member in directory.designers():
        print(f"designer {member.slack_id} {member.name or '-'}: skills {', '.join(member.skills) or 'none'}; "
              f"capacity {member.capacity_points} pts/week; {member.timezone}")
    return 0


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Print every request as CSV or JSON."""
    rows = export_rows(build_services(settings).db)
    sys.stdout.write(to_csv(rows) if args.format == "csv" else to_json(rows) + "\n")
    return 0


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the chosen command; none means the Slack app when configured, the console otherwise."""
    if args.command == "analyze":
        return cmd_analyze(args, settings)
    if args.command == "db":
        return cmd_db_upgrade(settings)
    if args.command == "team":
        return cmd_team(args, settings)
    if args.command == "export":
        return cmd_export(args, settings)
    if args.command == "console":
        return cmd_console(settings)
    if args.command == "run":
        return cmd_run(settings, args.http, args.port, not args.no_scheduler)
    if settings.slack_bot_token is not None:
        return cmd_run(settings)
    return cmd_console(settings, "No SLACK_BOT_TOKEN set: starting the terminal console instead of the Slack app.")


def main(argv: list[str] | None = None) -> int:
    """Parse, configure, run; known failures become one line on stderr."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
    try:
        settings = load_settings()
        return dispatch(args, settings)
    except (SettingsError, CatalogError, DatabaseError, TeamFileError, UsageError) as exc:
        print(f"creative-intake: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
