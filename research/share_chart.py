"""Geometry of the trends chart: the share of reports held that mention a term (pure).

Why a share: a raw count rises whenever the archive holds more reports for a year, so a
well-covered year looks like a surge.  Each year gets a bar for the share over all reports
held that year, and each group (level or province) a line with a point per year; a point's
tooltip (<title>) gives the counts behind it ("3 / 12 份") and links to the matching reports.
Years with nothing held for a group break its line (no share to draw).

Drawn by ``templates/research/_share_chart.html`` as inline SVG: no script, colours from the
``.series-N`` classes, so it works under the site's ``'self'``-only CSP and without JavaScript.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_SERIES = 9  # colours .series-0 … .series-8; further groups are drawn as one "其他" (.series-other)


@dataclass
class Tick:
    x: float
    y: float
    label: str


@dataclass
class LegendItem:
    css: str
    label: str


@dataclass
class SharePoint:
    x: float
    y: float
    label: str  # tooltip: year, group, "m / n 份（p%）"
    href: str = ""


@dataclass
class ShareBar:
    x: float
    y: float
    width: float
    height: float
    label: str
    href: str = ""


@dataclass
class ShareLine:
    css: str
    group: str
    segments: list[str] = field(default_factory=list)  # SVG polyline "x,y x,y" strings
    points: list[SharePoint] = field(default_factory=list)


@dataclass
class ShareChart:
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    bars: list[ShareBar] = field(default_factory=list)
    lines: list[ShareLine] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    title: str = ""


@dataclass(frozen=True)
class ShareValue:
    """What one point stands for: ``mentions`` of ``held`` reports, and where they are."""

    mentions: int
    held: int
    href: str = ""

    @property
    def share(self) -> float | None:
        return self.mentions / self.held if self.held else None


def percent_label(share: float) -> str:
    if 0 < share < 0.01:
        return "<1%"
    return f"{share * 100:.0f}%"


def _tooltip(year: int, group: str, value: ShareValue) -> str:
    return f"{year} 年 · {group}：{value.mentions} / {value.held} 份报告（{percent_label(value.share or 0)}）"


def share_chart(
    years: list[int],
    totals: dict[int, ShareValue],
    groups: list[str],
    values: dict[str, dict[int, ShareValue]],
    *,
    title: str = "",
    width: int = 720,
    height: int = 300,
) -> ShareChart:
    """Bars: the share over all groups per year; lines: one per group (first MAX_SERIES)."""
    left, right, top, bottom = 44.0, width - 12.0, 20.0, height - 40.0
    chart = ShareChart(width, height, left, top, right, bottom, title=title)
    shown = [g for g in groups if any(v.held for v in values.get(g, {}).values())][:MAX_SERIES]
    chart.legend = [LegendItem("series-total", "全部（柱）")] + [
        LegendItem(f"series-{i}", g) for i, g in enumerate(shown)
    ]
    shares = [v.share for v in totals.values() if v.share is not None]
    shares += [v.share for g in shown for v in values.get(g, {}).values() if v.share is not None]
    peak = max(shares, default=0.0)
    # The axis tops out at the next 20 % step above the highest share (100 % at most).
    top_share = min(1.0, max(0.2, math.ceil(peak * 5 - 1e-9) / 5))
    scale = (bottom - top) / top_share
    for k in range(0, round(top_share * 100) + 1, 20 if top_share > 0.4 else 10):
        y = bottom - k / 100 * scale
        chart.y_ticks.append(Tick(left, round(y, 1), f"{k}%"))
    if not years:
        return chart
    slot = (right - left) / len(years)
    bar_w = max(3.0, min(40.0, slot * 0.6))
    label_every = max(1, math.ceil(len(years) / 16))
    centre = {year: left + slot * (i + 0.5) for i, year in enumerate(years)}
    for i, year in enumerate(years):
        cx = centre[year]
        if i % label_every == 0:
            chart.x_ticks.append(Tick(round(cx, 1), bottom + 16, str(year)))
        total = totals.get(year)
        if total is None or total.share is None:
            continue
        h = total.share * scale
        chart.bars.append(
            ShareBar(
                round(cx - bar_w / 2, 1), round(bottom - h, 1), round(bar_w, 1), round(h, 1),
                _tooltip(year, "全部", total), total.href,
            )
        )
    for i, group in enumerate(shown):
        line = ShareLine(f"series-{i}", group)
        run: list[str] = []
        for year in years:
            value = values.get(group, {}).get(year)
            if value is None or value.share is None:
                if len(run) > 1:
                    line.segments.append(" ".join(run))
                run = []
                continue
            x, y = round(centre[year], 1), round(bottom - value.share * scale, 1)
            run.append(f"{x},{y}")
            line.points.append(SharePoint(x, y, _tooltip(year, group, value), value.href))
        if len(run) > 1:
            line.segments.append(" ".join(run))
        chart.lines.append(line)
    return chart
