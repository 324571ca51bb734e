"""The weekly report (SPEC 2.4): figures over a window, a PNG chart, and the Monday post to the ops channel.

Definitions, over the window [start, end):
- volume by type and by channel, share complete at first submit, rush share: requests submitted in it;
- median cycle time (calendar days, submitted → delivered) and revisions per request: requests delivered in it;
- engine accuracy: among requests submitted in it with an engine proposal, the share whose final
  ``request_type`` is the proposed one (and, for channels, whose final channel set is the proposed set);
  the difference is what ops overrode in triage.
"""

from __future__ import annotations

import io
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.delivery.once import Sent, claimed, send_once
from bot.delivery.ports import ChatPort
from bot.platform.calendar import local_date, parse_time, report_week
from bot.platform.clock import Clock
from bot.platform.text import format_date, human
from storage.growth import Reported
from storage.models import Request
from storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:
    from matplotlib.axes import Axes

WEEKLY_REPORT = "weekly_report"
WINDOW_DAYS = 7
#: Request types named in the summary line; the others are counted as "+N more in M other types".
TOP_TYPES = 4
#: What ``render_chart`` can write, by the file's extension.
CHART_FORMATS = ("png", "pdf", "svg")


@dataclass(frozen=True)
class Window:
    """Whole local days ``first`` … ``last`` in a time zone, as the UTC instants [start, end)."""

    first: date
    last: date
    start: datetime
    end: datetime

    @classmethod
    def between(cls, first: date, last: date, tz: str) -> Window:
        """The local days ``first`` … ``last`` (both included) in ``tz``."""
        zone = ZoneInfo(tz)
        end = last + timedelta(days=1)
        return cls(
            first=first,
            last=last,
            start=datetime.combine(first, time(), zone),
            end=datetime.combine(end, time(), zone),
        )

    @classmethod
    def days_before(cls, today: date, tz: str, days: int = WINDOW_DAYS) -> Window:
        """The ``days`` local days before ``today`` (on a Monday: the previous Monday to Sunday)."""
        return cls.between(today - timedelta(days=days), today - timedelta(days=1), tz)

    @classmethod
    def last_full_week(cls, today: date, tz: str) -> Window:
        """The last whole Monday–Sunday week before ``today`` (on a Monday: the one that ended yesterday)."""
        return cls.days_before(today - timedelta(days=today.weekday()), tz)

    def __contains__(self, instant: datetime | None) -> bool:
        return instant is not None and self.start <= instant < self.end

    def describe(self) -> str:
        """``Mon 23 Feb 2026 – Sun 1 Mar 2026``."""
        return f"{format_date(self.first)} – {format_date(self.last)}"

    @property
    def is_week(self) -> bool:
        """Whether the window is one Monday–Sunday week."""
        return self.first.weekday() == 0 and (self.last - self.first).days == WINDOW_DAYS - 1

    def heading(self) -> str:
        """``Weekly creative report, Mon 23 Feb 2026 – Sun 1 Mar 2026`` (``Creative report, …`` otherwise)."""
        return f"{'Weekly creative report' if self.is_week else 'Creative report'}, {self.describe()}"


@dataclass(frozen=True)
class Figures:
    """The report's numbers; a share or average is None when nothing was there to measure."""

    window: Window
    submitted: int
    delivered: int
    by_type: dict[str, int]
    by_channel: dict[str, int]
    median_cycle_days: float | None
    complete_share: float | None
    revisions_per_request: float | None
    rush_share: float | None
    type_accuracy: float | None
    channel_accuracy: float | None
    proposals: int


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _ranked(counter: Counter[str]) -> dict[str, int]:
    return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def compute_figures(requests: Iterable[Request | Reported], window: Window) -> Figures:
    """The report's figures for ``window`` from any superset of the requests it concerns."""
    rows = list(requests)
    submitted = [r for r in rows if r.submitted_at in window]
    delivered = [r for r in rows if r.delivered_at in window and r.submitted_at is not None]
    proposed = [r for r in submitted if r.proposed_type]
    with_channels = [r for r in submitted if r.proposed_channels]
    cycles = [
        (r.delivered_at - r.submitted_at).total_seconds() / 86400
        for r in delivered
        if r.delivered_at and r.submitted_at
    ]
    return Figures(
        window=window,
        submitted=len(submitted),
        delivered=len(delivered),
        by_type=_ranked(Counter(r.request_type for r in submitted)),
        by_channel=_ranked(Counter(channel for r in submitted for channel in r.channels)),
        median_cycle_days=statistics.median(cycles) if cycles else None,
        complete_share=_share([r.complete_at_submit for r in submitted]),
        revisions_per_request=statistics.fmean(r.revision_count for r in delivered) if delivered else None,
        rush_share=_share([r.rush for r in submitted]),
        type_accuracy=_share([r.request_type == r.proposed_type for r in proposed]),
        channel_accuracy=_share([set(r.channels) == set(r.proposed_channels) for r in with_channels]),
        proposals=len(proposed),
    )


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _number(value: float | None, unit: str = "") -> str:
    return "n/a" if value is None else f"{value:.1f}{unit}"


def summary_lines(figures: Figures) -> list[str]:
    """The key figures, one per line, as a person reads them."""
    ranked = list(figures.by_type.items())
    named = [f"{human(name)} {count}" for name, count in ranked[:TOP_TYPES]]
    rest = ranked[TOP_TYPES:]
    if rest:
        others = "1 other type" if len(rest) == 1 else f"{len(rest)} other types"
        named.append(f"+{sum(count for _, count in rest)} more in {others}")
    top = ", ".join(named)
    return [
        f"{figures.submitted} submitted" + (f" ({top})" if top else "") + f", {figures.delivered} delivered",
        f"Median cycle time (submitted → delivered): {_number(figures.median_cycle_days, ' days')}",
        f"Complete at first submit: {_percent(figures.complete_share)}",
        f"Revisions per delivered request: {_number(figures.revisions_per_request)}",
        f"Rush: {_percent(figures.rush_share)}",
        f"Engine accuracy against ops: type {_percent(figures.type_accuracy)}, "
        f"channels {_percent(figures.channel_accuracy)} ({figures.proposals} proposals)",
    ]


def summary_text(figures: Figures) -> str:
    """The report as a message: a title and the key figures."""
    return "\n".join([f"*{figures.window.heading()}*", *(f"• {line}" for line in summary_lines(figures))])


def _bars(ax: Axes, title: str, counts: dict[str, int], color: str) -> None:
    """One horizontal bar panel, largest on top, each bar labelled with its count."""
    ax.set_title(title, fontsize=12, loc="left")
    if not counts:
        ax.text(
            0.5,
            0.5,
            "No requests submitted",
            ha="center",
            va="center",
            fontsize=11,
            color="#666666",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return
    labels = [human(name) for name in counts][::-1]
    bars = ax.barh(labels, list(counts.values())[::-1], color=color)
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.set_xlabel("requests")
    ax.locator_params(axis="x", integer=True)
    ax.margins(x=0.15)
    ax.spines[["top", "right"]].set_visible(False)


def render_chart(figures: Figures, fmt: str = "png") -> bytes:
    """The chart as ``fmt`` (one of CHART_FORMATS): volume by type and by channel, the key figures underneath."""
    if fmt not in CHART_FORMATS:
        raise ValueError(f"chart format {fmt!r}: expected one of {', '.join(CHART_FORMATS)}")
    # Imported here: matplotlib costs every other command 0.4 s at start.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11, 6.5), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    figure.suptitle(f"Creative requests, {figures.window.describe()}", fontsize=15, fontweight="bold")
    by_type, by_channel = figure.subplots(1, 2)
    _bars(by_type, "Volume by request type", figures.by_type, "#3b6fb6")
    _bars(by_channel, "Volume by channel", figures.by_channel, "#e07b39")
    figure.supxlabel("\n".join(summary_lines(figures)), fontsize=10, ha="left", x=0.02, multialignment="left")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    return buffer.getvalue()


class WeeklyReport:
    """The report's figures from the database, and its once-a-week post to the ops channel."""

    def __init__(
        self, uow: UnitOfWorkFactory, clock: Clock, timezone: str, digest_time: str, ops_channel: str | None
    ) -> None:
        self.uow, self.clock, self.timezone = uow, clock, timezone
        self.at, self.ops_channel = parse_time(digest_time), ops_channel

    def window(self, now: datetime) -> Window:
        """The last full Monday–Sunday week before today in the ops time zone."""
        return Window.last_full_week(local_date(now, self.timezone), self.timezone)

    def figures(self, window: Window) -> Figures:
        """The figures for ``window``, from one query of the requests it concerns."""
        with self.uow.current() as u:
            return compute_figures(u.requests.reported(window.start, window.end), window)

    def post(self, port: ChatPort, now: datetime, window: Window | None = None) -> Figures:
        """Compute, render and upload the report for ``window`` (default: the last full week) to the ops channel."""
        assert self.ops_channel, "OPS_CHANNEL_ID is required to post the report"
        figures = self.figures(window or self.window(now))
        port.upload_file(
            self.ops_channel,
            f"creative-report-{figures.window.first.isoformat()}.png",
            render_chart(figures),
            title=f"Creative requests, {figures.window.describe()}",
            comment=summary_text(figures),
        )
        return figures

    def send_due(self, port: ChatPort, now: datetime | None = None) -> bool:
        """The Monday report, once per ISO week across instances; True when this call posted it."""
        now = now or self.clock.now()
        week = report_week(now, self.timezone, self.at)
        channel = self.ops_channel
        if week is None or not channel:
            return False

        def claim() -> bool:
            with self.uow() as u:
                if u.sends.exists(WEEKLY_REPORT, channel, week):
                    return False
            return claimed(self.uow, WEEKLY_REPORT, channel, week, now)

        return send_once(self.uow, claim, lambda: self.post(port, now), "weekly report", period=week) is Sent.SENT
