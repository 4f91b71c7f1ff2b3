"""Geometry of the server-rendered SVG charts (pure: no Django, no I/O).

Templates draw what these dataclasses describe (``templates/research/_stacked_bars.svg.html``):
auto-escaped text, colours from CSS classes (``.series-0`` … in static/css/site.css), no
inline script or style, so the page works under the site's ``'self'``-only CSP.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_SERIES = 9  # colours .series-0 … .series-8; further groups are drawn as one "其他" (.series-other)
OTHER = "其他"


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str  # tooltip (<title>)
    href: str = ""


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
class Chart:
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    bars: list[Bar] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    totals: list[Tick] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    title: str = ""
    y_label: str = ""


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5 × 10^k) so that about ``ticks`` grid lines cover ``maximum``."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if m * power >= raw:
            return int(m * power)
    return int(10 * power)


def stacked_bars(
    years: list[int],
    groups: list[str],
    value: dict[str, dict[int, int]],
    href: dict[str, dict[int, str]],
    *,
    title: str = "",
    unit: str = "份",
    width: int = 720,
    height: int = 300,
) -> Chart:
    """One stacked bar per year, one segment per group (in ``groups`` order, bottom up)."""
    left, right, top, bottom = 44.0, width - 12.0, 28.0, height - 40.0
    chart = Chart(width, height, left, top, right, bottom, title=title, y_label=unit)
    shown = groups[:MAX_SERIES]
    rest = groups[MAX_SERIES:]
    css = {g: f"series-{i}" for i, g in enumerate(shown)}
    chart.legend = [LegendItem(css[g], g) for g in shown]
    if rest:
        chart.legend.append(LegendItem("series-other", OTHER))

    def seg_values(year: int) -> list[tuple[str, str, int, str]]:
        out = [(g, css[g], value.get(g, {}).get(year, 0), href.get(g, {}).get(year, "")) for g in shown]
        if rest:
            out.append((OTHER, "series-other", sum(value.get(g, {}).get(year, 0) for g in rest), ""))
        return out

    totals = {y: sum(v for _, _, v, _ in seg_values(y)) for y in years}
    peak = max(totals.values(), default=0)
    step = nice_step(peak)
    top_value = max(step, math.ceil(peak / step) * step) if peak else 1
    scale = (bottom - top) / top_value
    for k in range(0, top_value + 1, step):
        y = bottom - k * scale
        chart.y_ticks.append(Tick(left, round(y, 1), str(k)))
    if not years:
        return chart
    slot = (right - left) / len(years)
    bar_w = max(4.0, min(48.0, slot * 0.6))
    label_every = max(1, math.ceil(len(years) / 16))
    for i, year in enumerate(years):
        cx = left + slot * (i + 0.5)
        x = round(cx - bar_w / 2, 1)
        base = bottom
        for group, css_class, n, link in seg_values(year):
            if n <= 0:
                continue
            h = n * scale
            base -= h
            chart.bars.append(
                Bar(
                    x,
                    round(base, 1),
                    round(bar_w, 1),
                    round(h, 1),
                    css_class,
                    f"{year} 年 · {group}：{n} {unit}",
                    link,
                )
            )
        if i % label_every == 0:
            chart.x_ticks.append(Tick(round(cx, 1), bottom + 16, str(year)))
        if totals[year]:
            chart.totals.append(Tick(round(cx, 1), round(base - 4, 1), str(totals[year])))
    return chart
