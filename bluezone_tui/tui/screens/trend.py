"""t: the district rate over the days on record, each commune's, and one unit's history.

Seen at the board's "now": a report timed later has not arrived here either.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from bluezone_tui.base.safe_text import printable
from bluezone_tui.base.vn import fmt_date_short, fmt_int, fmt_percent, fmt_time
from bluezone_tui.day.store import Store
from bluezone_tui.day.trend import Trend, build_trend, sparkline
from bluezone_tui.tui.widgets.fit import fit_middle

NAME_WIDTH = 26  # at most: a commune's name rarely needs more
SPARK_WIDTH = 30  # at most: one mark a day, the last 30 days
RATE_WIDTH = 8  # "100,00%" and a space


class WidthAwareText(Static):
    """Text composed for the width it is given, again whenever that width changes."""

    def __init__(self, compose_for: Callable[[int], str], **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.compose_for = compose_for
        self.composed_width = -1

    def on_resize(self) -> None:
        width = self.content_size.width
        if width != self.composed_width:
            self.composed_width = width
            self.update(self.compose_for(width))


class TrendScreen(Screen[None]):
    BINDINGS = [Binding("escape,t,q", "dismiss", "Quay lại", key_display="Esc")]

    def __init__(self, store: Store, day: date, unit_id: str | None, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.day = day
        self.unit_id = unit_id
        # read here, not in compose: a broken data folder is refused before the screen opens
        self.trend: Trend = build_trend(store, until=day, now=now)
        self.history = self._unit_history()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="trend-box"):
            yield WidthAwareText(self._district_and_communes, id="trend-district")
            yield Static(self.history, id="trend-unit", markup=False)
        yield Footer()

    def _district_and_communes(self, width: int) -> str:
        """The district's line, then one line per unit: its name (cut with "…" only),
        a sparkline as wide as the screen allows, and its last rate, never cut."""
        registry = self.store.registry
        trend = self.trend
        if not trend.days:
            return "Chưa có số liệu ngày nào."
        names = [printable(u.short_label) for u in registry.units if u.id in trend.unit_rates]
        name_width = min(NAME_WIDTH, max((cell_len(n) for n in names), default=0))
        spark_width = max(
            5, min(SPARK_WIDTH, len(trend.days), width - 2 - name_width - 1 - RATE_WIDTH)
        )
        lines = [
            f"Tỷ lệ toàn huyện, {fmt_date_short(trend.days[0])} – {fmt_date_short(trend.days[-1])}"
            f" ({len(trend.days)} ngày)",
            f"  {sparkline(trend.rates, spark_width)}  {fmt_percent(trend.rates[0])} → "
            f"{fmt_percent(trend.rates[-1])} ({fmt_int(trend.installs[-1])} người)",
            "",
        ]
        for group in registry.groups:
            units = [u for u in registry.units if u.group is group and u.id in trend.unit_rates]
            if not units:
                continue
            known = [r for u in units for r in trend.unit_rates[u.id] if r is not None]
            low, high = (min(known), max(known)) if known else (None, None)
            lines.append(
                f"{printable(group.name)} (cùng thang {fmt_percent(low)} – {fmt_percent(high)})"
            )
            for unit in units:
                rates = trend.unit_rates[unit.id]
                last = next((r for r in reversed(rates) if r is not None), None)
                spark = sparkline(rates, spark_width, low, high)
                lines.append(
                    f"  {fit_middle(printable(unit.short_label), name_width)}"
                    f" {spark:<{spark_width}}{fmt_percent(last):>{RATE_WIDTH}}"
                )
            lines.append("")
        return "\n".join(lines)

    def _unit_history(self) -> str:
        if self.unit_id is None:
            return ""
        unit = self.store.registry.unit(self.unit_id)
        if unit is None:
            return ""
        history = self.trend.reports[unit.id]
        lines = [f"Lịch sử báo cáo: {printable(unit.name)}"]
        if not history:
            lines.append("  chưa có báo cáo nào")
        headline = unit.form.headline
        for submission in history[-60:]:
            value = submission.figures.get(headline.id)
            lines.append(
                f"  {fmt_date_short(submission.day)}  lúc {fmt_time(submission.reported_at)}  "
                f"{printable(headline.short_label)}: "
                f"{fmt_int(value) if isinstance(value, int) else '–':>8}  "
                f"bản {submission.revision} ({printable(submission.entered_by)})"
                + (f"  — {printable(submission.note)}" if submission.note else "")
            )
        return "\n".join(lines)
