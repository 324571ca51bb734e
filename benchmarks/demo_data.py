"""Demo data: a roster and several weeks of realistic requests, so the weekly report and digests have a story.

Usage: .venv/bin/python benchmarks/demo_data.py [--weeks 6] [--seed 7] [--force]

Writes into the database of DATABASE_URL (from the environment or .env; default
``sqlite:///creative_intake.db`` in the working directory; migrations are applied first) and says which
database before it writes. It REPLACES THE ROSTER with four demo designers and two demo ops managers, and adds
requests spread over the working days of the last ``--weeks`` weeks up to now (the older a request, the further
along its lifecycle). A database that already has requests or a roster is refused unless ``--force`` is given.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import select

from bot.briefs.catalog import Catalog, CatalogError, load_catalog
from bot.platform.calendar import add_workdays, is_workday
from bot.platform.clock import SystemClock
from bot.platform.settings import SettingsError, load_settings
from bot.requests.lifecycle import format_ref
from bot.team.roster import DesignerEntry, Roster, sync_roster
from storage.db import Database, DatabaseError
from storage.models import Request, TeamMember

OPS_MANAGERS = ["U0OPS01", "U0OPS02"]
DESIGNERS = [
    DesignerEntry(
        slack_id="U0DES01",
        name="Dana",
        skills=["video", "social_graphic"],
        capacity_points=20,
        timezone="Europe/Berlin",
    ),
    DesignerEntry(
        slack_id="U0DES02",
        name="Luis",
        skills=["social_graphic", "display_ad", "email"],
        capacity_points=20,
        timezone="America/Los_Angeles",
    ),
    DesignerEntry(
        slack_id="U0DES03",
        name="Mei",
        skills=["landing_page", "brand_asset", "presentation"],
        capacity_points=24,
        timezone="Asia/Singapore",
    ),
    DesignerEntry(
        slack_id="U0DES04",
        name="Sam",
        skills=["print", "localization", "copywriting", "other"],
        capacity_points=16,
        timezone="Europe/London",
    ),
]
REQUESTERS = [f"U0REQ{n:02d}" for n in range(1, 13)]
#: request type: (weight, typical channel sets, things made)
TYPES: dict[str, tuple[int, list[list[str]], list[str]]] = {
    "social_graphic": (30, [["social"], ["social", "paid_ads"]], ["carousel", "story set", "post series"]),
    "display_ad": (12, [["paid_ads"], ["paid_ads", "web"]], ["banner set", "retargeting ads"]),
    "video": (10, [["video_platforms", "paid_ads"], ["social", "video_platforms"]], ["teaser video", "pre-roll"]),
    "email": (12, [["email"]], ["newsletter", "nurture email"]),
    "landing_page": (6, [["web"], ["web", "paid_ads"]], ["landing page", "microsite"]),
    "print": (7, [["print"], ["print", "events"]], ["flyer", "booth poster", "brochure"]),
    "presentation": (8, [["internal"], ["events"]], ["pitch deck", "keynote slides"]),
    "copywriting": (5, [["web"], ["email"]], ["product copy", "blog headlines"]),
    "localization": (6, [["social"], ["web"]], ["DE/FR adaptation", "LATAM versions"]),
    "brand_asset": (3, [["internal"], ["web"]], ["icon set", "illustration"]),
    "other": (1, [["internal"]], ["photo retouch"]),
}
#: What the engine plausibly proposed when ops later reclassified.
CONFUSIONS = {
    "display_ad": "social_graphic",
    "social_graphic": "display_ad",
    "landing_page": "other",
    "copywriting": "email",
    "localization": "other",
    "presentation": "other",
    "video": "social_graphic",
    "print": "other",
    "email": "copywriting",
    "brand_asset": "other",
    "other": "print",
}
CAMPAIGNS = [
    "Spring launch",
    "Summer sale",
    "Webinar series",
    "Product 4.0",
    "Partner summit",
    "Hiring push",
    "Customer stories",
    "Black Friday",
    "Trade fair",
    "Brand refresh",
]


def _submitted_times(rng: random.Random, now: datetime, weeks: int) -> list[datetime]:
    """2–6 submissions per working day over the last ``weeks`` weeks, during working hours (UTC)."""
    day = (now - timedelta(weeks=weeks)).date()
    times = []
    while day <= now.date():
        if is_workday(day):
            for _ in range(rng.randint(2, 6)):
                at = datetime.combine(day, time(rng.randint(7, 16), rng.randint(0, 59)), UTC)
                if at < now:
                    times.append(at)
        day += timedelta(days=1)
    return sorted(times)


def _lifecycle(rng: random.Random, request: Request, now: datetime, lead_days: int) -> None:
    """Move a request as far along as its age allows."""
    submitted = request.submitted_at
    assert submitted is not None
    roll = rng.random()
    if roll < 0.04:
        request.status, request.closed_at = "rejected", submitted + timedelta(hours=rng.randint(2, 30))
        return
    if roll < 0.07:
        request.status, request.closed_at = "cancelled", submitted + timedelta(days=rng.randint(1, 4))
        return
    triaged = submitted + timedelta(hours=rng.randint(1, 20))
    if triaged > now:
        request.status = "submitted"
        return
    roll = rng.random() if now - triaged < timedelta(days=7) else 1.0  # older ones have moved on
    if roll < 0.12:
        request.status, request.info_asked_at, request.complete_at_submit = "needs_info", triaged, False
        return
    if roll < 0.24:
        request.status = "approved"
        return
    designer = rng.choice([d for d in DESIGNERS if request.request_type in d.skills] or DESIGNERS)
    request.assignee_id, request.assigned_at = designer.slack_id, triaged
    delivered = triaged + timedelta(days=lead_days * rng.uniform(0.5, 1.3), hours=rng.randint(0, 8))
    if delivered > now:
        request.status = rng.choices(["assigned", "in_progress", "blocked"], [3, 6, 1])[0]
        return
    request.delivered_at, request.delivery_link = delivered, "https://drive.example.com/demo"
    request.revision_count = rng.choices([0, 1, 2], [6, 3, 1])[0]
    closed = delivered + timedelta(days=rng.randint(1, 3))
    request.status, request.closed_at = ("closed", closed) if closed < now else ("delivered", None)


def _misread(channels: list[str]) -> list[str]:
    """A plausible wrong channel proposal: social added, or paid ads instead of social."""
    return ["paid_ads"] if "social" in channels else [*channels, "social"]


def demo_requests(catalog: Catalog, now: datetime, weeks: int = 6, seed: int = 7) -> list[Request]:
    """Realistic requests submitted over the last ``weeks`` weeks, each as far along as its age allows."""
    rng = random.Random(seed)
    names = list(TYPES)
    requests = []
    for submitted in _submitted_times(rng, now, weeks):
        kind = rng.choices(names, [TYPES[n][0] for n in names])[0]
        _, channel_sets, things = TYPES[kind]
        channels = rng.choice(channel_sets)
        lead = catalog.lead_time(kind)
        deadline = add_workdays(submitted.date(), max(1, lead + rng.randint(-2, 6)))
        overridden = rng.random() < 0.12
        title = f"{rng.choice(CAMPAIGNS)} {rng.choice(things)}"
        request = Request(
            status="submitted",
            requester_id=rng.choice(REQUESTERS),
            conversation_id="demo",
            title=title,
            request_type=kind,
            channels=channels,
            brief={
                "title": title,
                "request_type": kind,
                "channels": channels,
                "deadline": deadline.isoformat(),
                "objective": "drive sign-ups",
                "audience": "existing customers",
            },
            deadline=deadline,
            due_date=deadline,
            rush=deadline < add_workdays(submitted.date(), lead),
            priority="high" if deadline < add_workdays(submitted.date(), lead) else "normal",
            classified_by="ops" if overridden else rng.choice(["rules", "llm"]),
            proposed_type=CONFUSIONS[kind] if overridden else kind,
            proposed_channels=channels if rng.random() < 0.85 else _misread(channels),
            complete_at_submit=rng.random() < 0.85,
            created_at=submitted,
            updated_at=submitted,
            submitted_at=submitted,
        )
        _lifecycle(rng, request, now, lead)
        requests.append(request)
    return requests


def fill_demo(db: Database, catalog: Catalog, now: datetime, weeks: int = 6, seed: int = 7) -> int:
    """Write the demo roster and requests; returns how many requests."""
    sync_roster(db.uow, Roster(ops_managers=OPS_MANAGERS, designers=DESIGNERS))
    requests = demo_requests(catalog, now, weeks, seed)
    with db.session() as session:
        session.add_all(requests)
        session.flush()
        for request in requests:
            assert request.id is not None
            request.ref = format_ref(request.id)
    return len(requests)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--force", action="store_true", help="fill a database that already has requests or a roster (replaced)"
    )
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        db = Database(settings.database_url)
        db.upgrade()
        catalog = load_catalog(settings.catalog_file)
    except (SettingsError, CatalogError, DatabaseError) as exc:
        print(f"demo_data: {exc}", file=sys.stderr)
        return 2
    with db.session() as session:
        requests = session.exec(select(func.count()).select_from(Request)).one()
        people = sum(1 for m in session.exec(select(TeamMember)).all() if m.is_ops or m.is_designer)
    if (requests or people) and not args.force:
        print(
            f"demo_data: {db.safe_url} (DATABASE_URL) is not empty: {requests} requests, {people} in the roster; "
            "use --force to replace the roster and add the demo requests",
            file=sys.stderr,
        )
        return 2
    print(f"demo_data: filling {db.safe_url} (DATABASE_URL): the roster is replaced", flush=True)
    count = fill_demo(db, catalog, SystemClock().now(), args.weeks, args.seed)
    print(f"{count} demo requests over {args.weeks} weeks and {len(DESIGNERS)} designers written to {db.safe_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
