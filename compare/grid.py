"""Builders for the comparison pages, the API and the CSV: plain data for templates.

Views stay thin: they parse the request, call one builder here, and render.  The builders
read the database (sections, stored figures, search results) and hand the hard parts to the
pure modules: ``compare.diff`` (alignment, character diff, copies) and ``compare.charts``.
Nothing here builds HTML: texts stay plain strings and templates escape them; the only
markup passed on is ``search.highlight.snippet_html`` output (escaped there, plus <mark>).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from compare.charts import LineChart, line_chart
from compare.copying import SharedPassage, common_threshold, marked_segments, meaningful_copies
from compare.diff import DiffOp, SectionText, align_sections, char_diff, similarity
from compare.figures import INDICATOR_KEYS, INDICATOR_UNITS, DerivedRate, derive_rates
from compare.keyword_grid import KeywordGrid, keyword_grid  # noqa: F401  (the keyword grid's home)
from compare.models import Indicator
from compare.passage_counts import archive_counts, masks_for
from compare.selection import reports_param
from compare.topics import TOPIC_BY_KEY, TOPICS
from reports.models import Region, Report, Script, Section
from reports.reader_pages import reader_pages
from reports.script import to_simplified

COPY_THRESHOLD = 0.8


# ---------------------------------------------------------------------------
# Topic grid
# ---------------------------------------------------------------------------


@dataclass
class Column:
    report: Report
    converted: bool  # shown in simplified script although the original is traditional

    @property
    def lang(self) -> str:
        return "zh-Hant" if self.report.script == Script.TRADITIONAL and not self.converted else "zh-Hans"


@dataclass
class CrossRef:
    """A note on a section: its counterpart in another year, or a likely copy elsewhere."""

    kind: str  # "year" | "copy"
    anchor: str
    report: Report
    section: Section
    score: float

    @property
    def percent(self) -> int:
        return round(self.score * 100)


@dataclass
class SectionView:
    section: Section
    heading: str
    text: str
    refs: list[CrossRef] = field(default_factory=list)


@dataclass
class Cell:
    column: Column
    views: list[SectionView]


@dataclass
class TopicRow:
    key: str
    label: str
    cells: list[Cell]

    @property
    def empty(self) -> bool:
        return not any(cell.views for cell in self.cells)


@dataclass
class DiffPair:
    anchor: str
    old: SectionView | None
    new: SectionView | None
    score: float | None
    ops: list[DiffOp]

    @property
    def percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)

    @property
    def identical(self) -> bool:
        return all(op.kind == "equal" for op in self.ops)


@dataclass
class YearComparison:
    old: Report
    new: Report
    pairs: list[DiffPair]

    @property
    def aligned(self) -> int:
        return sum(1 for p in self.pairs if p.old and p.new)


@dataclass
class CopyFlag:
    """Two bodies' sections sharing rare text; ``shared`` are the verbatim rare passages."""

    anchor: str
    left: SectionView
    right: SectionView
    left_report: Report
    right_report: Report
    score: float
    shared: list[SharedPassage] = field(default_factory=list)
    others: int = 0  # other bodies holding the rarest shared passage
    ignored: int = 0  # common or ceremonial passages both have (not counted)

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def left_segments(self) -> list[tuple[str, bool]]:
        return marked_segments(self.left.text, [(s.left.start, s.left.end) for s in self.shared])

    @property
    def right_segments(self) -> list[tuple[str, bool]]:
        return marked_segments(self.right.text, [(s.right.start, s.right.end) for s in self.shared])


@dataclass
class FigureValue:
    indicator: Indicator
    report: Report
    number: int  # footnote number

    @property
    def section_url(self) -> str:
        return self.indicator.section.get_absolute_url()


@dataclass
class FigureRow:
    key: str
    label: str
    unit: str
    cells: list[list[FigureValue]]
    # Per report: the rate computed from parts stated in one section (compare.figures.rates).
    derived: list[DerivedRate | None] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[list[FigureValue], DerivedRate | None]]:
        return list(zip(self.cells, self.derived or [None] * len(self.cells)))


@dataclass
class FigureTable:
    rows: list[FigureRow]
    footnotes: list[FigureValue]

    @property
    def empty(self) -> bool:
        return not self.footnotes


@dataclass
class ChartGroup:
    region: Region
    reports: list[Report]
    charts: list[LineChart]


@dataclass
class Comparison:
    reports: list[Report]
    columns: list[Column]
    rows: list[TopicRow]
    year_comparisons: list[YearComparison]
    copies: list[CopyFlag]
    common_bodies: int  # a passage held by this many bodies is common (not counted)
    figures: FigureTable
    chart_groups: list[ChartGroup]
    simplified: bool
    # Reports compared on their first reader page only: (report, sections compared, sections).
    cut: list[tuple[Report, int, int]] = field(default_factory=list)

    @property
    def reports_param(self) -> str:
        return reports_param([r.pk for r in self.reports])

    @property
    def has_traditional(self) -> bool:
        return any(r.script == Script.TRADITIONAL for r in self.reports)


def section_cuts(reports: list[Report]) -> dict[int, tuple[int, int, int]]:
    """Reports too big to compare whole: pk -> (last order compared, sections compared, sections).

    A comparison holds each report's first reader page (reports/reader_pages.py: 300
    sections, 200,000 characters): a 20,000-section report made one comparison page take
    about a minute and 17 MB."""
    cuts = {}
    for report in reports:
        pages = reader_pages(report)
        if len(pages) > 1:
            cuts[report.pk] = (pages[0].last_order, pages[0].sections, sum(p.sections for p in pages))
    return cuts


def load_sections(reports: list[Report], cuts: dict | None = None) -> dict[int, list[Section]]:
    """Each report's sections in document order (up to its cut, see ``section_cuts``)."""
    out: dict[int, list[Section]] = {r.pk: [] for r in reports}
    cuts = section_cuts(reports) if cuts is None else cuts
    which = Q(report_id__in=[pk for pk in out if pk not in cuts])
    for pk, (last_order, _, _) in cuts.items():
        which |= Q(report_id=pk, order__lte=last_order)
    for section in Section.objects.filter(which).order_by("report_id", "order"):
        out[section.report_id].append(section)
    return out


def _views(reports, sections, simplified: bool) -> dict[int, list[SectionView]]:
    out: dict[int, list[SectionView]] = {}
    for report in reports:
        convert = simplified and report.script == Script.TRADITIONAL
        out[report.pk] = [
            SectionView(
                section=s,
                heading=to_simplified(s.heading) if convert else s.heading,
                text=to_simplified(s.text) if convert else s.text,
            )
            for s in sections[report.pk]
        ]
    return out


def topic_rows(columns: list[Column], views: dict[int, list[SectionView]]) -> list[TopicRow]:
    """One row per topic in TOPICS order; one cell per report; unknown topics end up in 其他."""
    by_topic: dict[int, dict[str, list[SectionView]]] = {}
    for report in (c.report for c in columns):
        grouped: dict[str, list[SectionView]] = defaultdict(list)
        for view in views[report.pk]:
            key = view.section.topic if view.section.topic in TOPIC_BY_KEY else "other"
            grouped[key].append(view)
        by_topic[report.pk] = grouped
    return [
        TopicRow(
            key=topic.key,
            label=topic.label,
            cells=[Cell(c, by_topic[c.report.pk].get(topic.key, [])) for c in columns],
        )
        for topic in TOPICS
    ]


def same_jurisdiction(a: Report, b: Report) -> bool:
    return a.region_id is not None and a.region_id == b.region_id


def _by_year(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.year or 0, r.pk))


def jurisdiction_groups(reports: list[Report]) -> list[list[Report]]:
    """Reports sharing a region (two or more), each group oldest first."""
    groups: dict[int, list[Report]] = defaultdict(list)
    for report in reports:
        if report.region_id is not None:
            groups[report.region_id].append(report)
    return [_by_year(group) for group in groups.values() if len(group) >= 2]


def year_comparisons(reports: list[Report], views: dict[int, list[SectionView]]) -> list[YearComparison]:
    """Consecutive reports of one jurisdiction: aligned sections, similarity, character diff."""
    out: list[YearComparison] = []
    for group in jurisdiction_groups(reports):
        for old, new in itertools.pairwise(group):
            left, right = views[old.pk], views[new.pk]
            alignment = align_sections(
                [SectionText(v.section.heading, v.section.text, v.section.topic) for v in left],
                [SectionText(v.section.heading, v.section.text, v.section.topic) for v in right],
            )
            pairs: list[DiffPair] = []
            for item in alignment:
                a = left[item.left] if item.left is not None else None
                b = right[item.right] if item.right is not None else None
                anchor = f"diff-{a.section.pk if a else 'x'}-{b.section.pk if b else 'x'}"
                if a and b:
                    # Heading-only sections (chapter titles) are compared by their headings.
                    if a.section.text or b.section.text:
                        score = similarity(a.section.text, b.section.text)
                    else:
                        score = similarity(a.section.heading, b.section.heading)
                    pairs.append(DiffPair(anchor, a, b, score, char_diff(a.text, b.text)))
                    a.refs.append(CrossRef("year", anchor, new, b.section, score))
                    b.refs.append(CrossRef("year", anchor, old, a.section, score))
                else:
                    pairs.append(DiffPair(anchor, a, b, None, []))
            out.append(YearComparison(old=old, new=new, pairs=pairs))
    return out


def copy_flags(
    reports: list[Report], views: dict[int, list[SectionView]], *, threshold: float = COPY_THRESHOLD
) -> list[CopyFlag]:
    """Sections of different bodies' reports sharing text that is rare in the archive
    (横向移植), rarest first; ceremonial and common passages do not count (compare.copying)."""
    counts = archive_counts()
    masks = masks_for({r.region_id for r in reports if r.region_id})
    out: list[CopyFlag] = []
    for ra, rb in itertools.combinations(reports, 2):
        if same_jurisdiction(ra, rb):
            continue
        va, vb = views[ra.pk], views[rb.pk]
        # Offsets are into the texts shown, which keep their length when converted to simplified.
        for ev in meaningful_copies(
            [v.text for v in va], [v.text for v in vb],
            mask_a=masks.get(ra.region_id, []), mask_b=masks.get(rb.region_id, []),
            held_by=counts.held_by, bodies=counts.bodies, threshold=threshold,
        ):
            a, b = va[ev.left], vb[ev.right]
            anchor = f"copy-{a.section.pk}-{b.section.pk}"
            score = ev.score or similarity(a.section.text, b.section.text)
            out.append(CopyFlag(anchor, a, b, ra, rb, score, ev.shared, ev.others, ev.ignored))
            a.refs.append(CrossRef("copy", anchor, rb, b.section, score))
            b.refs.append(CrossRef("copy", anchor, ra, a.section, score))
    out.sort(key=lambda c: (c.others, -c.score))
    return out


def load_indicators(reports: list[Report]) -> dict[int, list[Indicator]]:
    out: dict[int, list[Indicator]] = {r.pk: [] for r in reports}
    # Each figure row joins its section for the path and link, never the section's text: a
    # long section stating many figures would otherwise be read once per figure (a 5 MB
    # report's figures took over a minute).
    rows = (
        Indicator.objects.for_reports(out)
        .with_section()
        .defer("section__text")
        .order_by("report_id", "section__order", "start", "key")
    )
    for indicator in rows:
        out[indicator.report_id].append(indicator)
    return out


def _first_derived(indicators: list[Indicator]) -> dict[str, DerivedRate]:
    out: dict[str, DerivedRate] = {}
    for rate in derive_rates((i.key, i.value, i.section_id) for i in indicators):
        out.setdefault(rate.key, rate)
    return out


def figure_table(reports: list[Report], indicators: dict[int, list[Indicator]]) -> FigureTable:
    """Rows: figures in INDICATOR_KEYS order (only those stated or computable somewhere);
    columns: reports.  A rate row also carries each report's rate computed from its parts."""
    rows: list[FigureRow] = []
    footnotes: list[FigureValue] = []
    derived = {r.pk: _first_derived(indicators[r.pk]) for r in reports}
    for key, label in INDICATOR_KEYS.items():
        cells: list[list[FigureValue]] = []
        for report in reports:
            cell = []
            for indicator in indicators[report.pk]:
                if indicator.key == key:
                    value = FigureValue(indicator, report, len(footnotes) + 1)
                    footnotes.append(value)
                    cell.append(value)
            cells.append(cell)
        computed = [derived[r.pk].get(key) for r in reports]
        if any(cells) or any(computed):
            rows.append(FigureRow(key, label, INDICATOR_UNITS.get(key, ""), cells, computed))
    return FigureTable(rows=rows, footnotes=footnotes)


def figure_records(reports: list[Report], indicators: dict[int, list[Indicator]]) -> list[FigureValue]:
    """Flat list for the CSV: reports in the order given, figures in INDICATOR_KEYS order."""
    order = {key: n for n, key in enumerate(INDICATOR_KEYS)}
    records: list[FigureValue] = []
    for report in reports:
        for indicator in sorted(indicators[report.pk], key=lambda i: order.get(i.key, len(order))):
            records.append(FigureValue(indicator, report, len(records) + 1))
    return records


def chart_groups(reports: list[Report], indicators: dict[int, list[Indicator]]) -> list[ChartGroup]:
    """For each jurisdiction compared over two or more years, one line chart per figure."""
    out: list[ChartGroup] = []
    for group in jurisdiction_groups(reports):
        if len({r.year for r in group if r.year}) < 2:
            continue
        charts = []
        for key, label in INDICATOR_KEYS.items():
            data = [
                (r.year, float(i.value), i.section.get_absolute_url(), i.sentence)
                for r in group
                for i in indicators[r.pk]
                if i.key == key and r.year
            ]
            chart = line_chart(key, label, INDICATOR_UNITS.get(key, ""), data)
            if chart is not None:
                charts.append(chart)
        if charts:
            out.append(ChartGroup(region=group[0].region, reports=group, charts=charts))
    return out


def build_comparison(reports: list[Report], *, simplified: bool = False) -> Comparison:
    cuts = section_cuts(reports)
    sections = load_sections(reports, cuts)
    views = _views(reports, sections, simplified)
    indicators = load_indicators(reports)
    # Cross-references are attached to the section views, so compute them before rendering.
    years = year_comparisons(reports, views)
    copies = copy_flags(reports, views)
    columns = _columns(reports, simplified)
    return Comparison(
        reports=reports,
        columns=columns,
        rows=topic_rows(columns, views),
        year_comparisons=years,
        copies=copies,
        common_bodies=common_threshold(archive_counts().bodies),
        figures=figure_table(reports, indicators),
        chart_groups=chart_groups(reports, indicators),
        simplified=simplified,
        cut=[(r, cuts[r.pk][1], cuts[r.pk][2]) for r in reports if r.pk in cuts],
    )


def _columns(reports: list[Report], simplified: bool) -> list[Column]:
    return [Column(r, simplified and r.script == Script.TRADITIONAL) for r in reports]


def grid_payload(reports: list[Report]) -> list[dict]:
    """The API's rows: section ids per topic and report (no diffs, no text)."""
    views = _views(reports, load_sections(reports), simplified=False)
    return [
        {
            "topic": row.key,
            "label": row.label,
            "cells": [[v.section.pk for v in cell.views] for cell in row.cells],
        }
        for row in topic_rows(_columns(reports, False), views)
    ]


def copies_payload(reports: list[Report]) -> list[dict]:
    """The API's copy flags: section ids, similarity, and each shared rare passage with how
    many bodies of the archive hold it."""
    views = _views(reports, load_sections(reports), simplified=False)
    return [
        {
            "left": {"report": f.left_report.pk, "section": f.left.section.pk, "path": f.left.section.path},
            "right": {"report": f.right_report.pk, "section": f.right.section.pk, "path": f.right.section.path},
            "similarity": round(f.score, 4),
            "other_bodies": f.others,
            "ignored_common_passages": f.ignored,
            "shared": [{"text": p.text, "bodies": p.bodies} for p in f.shared],
        }
        for f in copy_flags(reports, views)
    ]
