"""Line charts of one figure over the years, as plain numbers for an SVG template (pure).

The template (templates/compare/_chart.html) draws the SVG from these coordinates: no
JavaScript, no inline styles (colours come from static/css/site.css), every text escaped by
Django.  Each point links to the section the figure was read from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 480
HEIGHT = 240
MARGIN_LEFT = 56
MARGIN_RIGHT = 24
MARGIN_TOP = 24
MARGIN_BOTTOM = 36
# Room between the axis and the first/last point, so value labels clear the tick labels.
INSET = 28


@dataclass
class ChartPoint:
    year: int
    value: float
    label: str  # the value as shown ("40.7")
    x: float
    y: float
    href: str = ""
    note: str = ""  # source sentence, shown as the SVG <title> tooltip

    @property
    def label_y(self) -> float:
        return round(self.y - 8, 1)


@dataclass
class Tick:
    pos: float
    label: str


@dataclass
class LineChart:
    key: str
    title: str
    unit: str
    points: list[ChartPoint]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    right: int = WIDTH - MARGIN_RIGHT
    top: int = MARGIN_TOP
    bottom: int = HEIGHT - MARGIN_BOTTOM
    polyline: str = field(default="")

    @property
    def y_label_x(self) -> int:
        return self.left - 6

    @property
    def x_label_y(self) -> int:
        return self.bottom + 20

    @property
    def description(self) -> str:
        return "；".join(f"{p.year}年 {p.label}{self.unit}" for p in self.points)


def nice_step(span: float, target_ticks: int = 4) -> float:
    """A 1/2/5×10ⁿ step that splits ``span`` into about ``target_ticks`` parts."""
    if span <= 0:
        return 1.0
    raw = span / target_ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _fmt(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def line_chart(
    key: str,
    title: str,
    unit: str,
    data: list[tuple[int, float, str, str]],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> LineChart | None:
    """``data`` = [(year, value, href, note)], one per year (first wins); None below two years."""
    by_year: dict[int, tuple[float, str, str]] = {}
    for year, value, href, note in data:
        if year is None or value is None or not math.isfinite(float(value)):
            continue
        by_year.setdefault(int(year), (float(value), href, note))
    if len(by_year) < 2:
        return None
    years = sorted(by_year)
    top_value = max(v for v, _, _ in by_year.values())
    if unit == "%" and top_value <= 100:
        top_value = 100.0
    step = nice_step(top_value or 1.0)
    y_max = step * math.ceil((top_value or 1.0) / step)

    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
    first, last = years[0], years[-1]

    def x_of(year: int) -> float:
        return round(left + INSET + (right - left - 2 * INSET) * (year - first) / (last - first), 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * value / y_max, 1)

    points = [
        ChartPoint(year=y, value=v, label=_fmt(v), x=x_of(y), y=y_of(v), href=href, note=note)
        for y in years
        for v, href, note in [by_year[y]]
    ]
    n_ticks = int(round(y_max / step))
    y_ticks = [Tick(pos=y_of(i * step), label=_fmt(i * step)) for i in range(n_ticks + 1)]
    x_ticks = [Tick(pos=x_of(y), label=str(y)) for y in years]
    return LineChart(
        key=key,
        title=title,
        unit=unit,
        points=points,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
    )
