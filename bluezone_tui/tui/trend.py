"""t: the district rate over the days on record, each commune's, and one unit's history."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..core.store import Store
from ..core.trend import build_trend, sparkline
from ..core.vn import fmt_date_short, fmt_int, fmt_percent, fmt_time


class TrendScreen(Screen[None]):
    BINDINGS = [Binding("escape,t,q", "dismiss", "Quay lại", key_display="Esc")]

    def __init__(self, store: Store, day: date, unit_id: str | None) -> None:
        super().__init__()
        self.store = store
        self.day = day
        self.unit_id = unit_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="trend-box"):
            yield Static(self._district_and_communes(), id="trend-district", markup=False)
            yield Static(self._unit_history(), id="trend-unit", markup=False)
        yield Footer()

    def _district_and_communes(self) -> str:
        registry = self.store.registry
        trend = build_trend(self.store, until=self.day)
        if not trend.days:
            return "Chưa có số liệu ngày nào."
        width = 30
        lines = [
            f"Tỷ lệ toàn huyện, {fmt_date_short(trend.days[0])} – {fmt_date_short(trend.days[-1])}"
            f" ({len(trend.days)} ngày)",
            f"  {sparkline(trend.rates, width)}  {fmt_percent(trend.rates[0])} → "
            f"{fmt_percent(trend.rates[-1])} ({fmt_int(trend.installs[-1])} người)",
            "",
        ]
        for group in registry.groups:
            units = [u for u in registry.units if u.group is group and u.id in trend.unit_rates]
            if not units:
                continue
            known = [r for u in units for r in trend.unit_rates[u.id] if r is not None]
            low, high = (min(known), max(known)) if known else (None, None)
            lines.append(f"{group.name} (cùng thang {fmt_percent(low)} – {fmt_percent(high)})")
            for unit in units:
                rates = trend.unit_rates[unit.id]
                last = next((r for r in reversed(rates) if r is not None), None)
                lines.append(
                    f"  {unit.short_label[:26]:<26} {sparkline(rates, width, low, high):<{width}}"
                    f" {fmt_percent(last):>8}"
                )
            lines.append("")
        return "\n".join(lines)

    def _unit_history(self) -> str:
        if self.unit_id is None:
            return ""
        unit = self.store.registry.unit(self.unit_id)
        if unit is None:
            return ""
        history = self.store.history(self.unit_id)
        lines = [f"Lịch sử báo cáo: {unit.name}"]
        if not history:
            lines.append("  chưa có báo cáo nào")
        headline = unit.form.headline
        for submission in history[-60:]:
            value = submission.figures.get(headline.id)
            lines.append(
                f"  {fmt_date_short(submission.day)}  lúc {fmt_time(submission.reported_at)}  "
                f"{headline.short_label}: {fmt_int(value) if isinstance(value, int) else '–':>8}  "
                f"bản {submission.revision} ({submission.entered_by})"
                + (f"  — {submission.note}" if submission.note else "")
            )
        return "\n".join(lines)
