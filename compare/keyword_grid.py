"""Keyword grid: the reports a search matches as jurisdictions × years, each cell with the
matching passages highlighted in the original script (search.highlight)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from compare.selection import reports_param
from reports.models import Region, Report, Section

KEYWORD_REPORT_CAP = 200
KEYWORD_PAGE_SIZE = 100
PASSAGES_PER_REPORT = 3


@dataclass
class Passage:
    path: str
    heading: str
    url: str
    snippet_html: str  # escaped by search.highlight, with <mark> around the terms


@dataclass
class KeywordEntry:
    report: Report
    passages: list[Passage]


@dataclass
class KeywordRow:
    region: Region | None
    cells: list[list[KeywordEntry]]

    @property
    def label(self) -> str:
        return self.region.full_name if self.region is not None else "地区未定"

    @property
    def reports(self) -> list[Report]:
        return [e.report for cell in self.cells for e in cell]

    @property
    def compare_param(self) -> str:
        """`reports=` for a side-by-side view of this row, when it has 2–6 reports."""
        from compare.selection import MAX_REPORTS, MIN_REPORTS

        ids = [r.pk for r in self.reports]
        return reports_param(ids) if MIN_REPORTS <= len(ids) <= MAX_REPORTS else ""


@dataclass
class KeywordGrid:
    query: str
    terms: list[str] = field(default_factory=list)
    years: list[int | None] = field(default_factory=list)
    rows: list[KeywordRow] = field(default_factory=list)
    count: int = 0  # reports matching in the index
    shown: int = 0
    cap: int = KEYWORD_REPORT_CAP
    warnings: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def truncated(self) -> bool:
        return self.count > self.shown


def keyword_grid(params, *, cap: int = KEYWORD_REPORT_CAP) -> KeywordGrid:
    """Reports matching ``params`` (search.service.SearchParams) as a grid of regions × years,
    each cell with the matching passages highlighted in the original script."""
    from search.service import search

    grid = KeywordGrid(query=params.q, cap=cap)
    hits = []
    number = 1
    while len(hits) < cap:
        page = search(
            replace(params, page=number, per_page=KEYWORD_PAGE_SIZE, sections_per_report=PASSAGES_PER_REPORT)
        )
        grid.warnings.extend(w for w in page.warnings if w not in grid.warnings)
        if page.error:
            grid.error = page.error
            return grid
        grid.terms, grid.count = page.terms, page.count
        hits.extend(page.results)
        if number >= page.num_pages or not page.results:
            break
        number += 1
    hits = hits[:cap]
    grid.shown = len(hits)

    entries = [
        KeywordEntry(
            report=hit.report,
            passages=[Passage(s.path, s.heading, s.url, s.snippet_html) for s in hit.sections],
        )
        for hit in hits
    ]
    _fill_missing_passages([e for e in entries if not e.passages], grid.terms)

    grid.years = sorted({e.report.year for e in entries}, key=lambda y: (y is None, y or 0))
    by_region: dict[int | None, dict[int | None, list[KeywordEntry]]] = defaultdict(lambda: defaultdict(list))
    regions: dict[int | None, Region | None] = {}
    for entry in entries:
        rid = entry.report.region_id
        regions[rid] = entry.report.region
        by_region[rid][entry.report.year].append(entry)
    order = sorted(regions, key=lambda rid: (rid is None, regions[rid].tree_path if regions[rid] else ""))
    grid.rows = [
        KeywordRow(region=regions[rid], cells=[by_region[rid].get(year, []) for year in grid.years])
        for rid in order
    ]
    return grid


def _fill_missing_passages(entries: list[KeywordEntry], terms: list[str]) -> None:
    """Reports the index matched without naming sections: find sections holding a term."""
    from search.highlight import find_matches, snippet_html

    if not entries or not terms:
        return
    wanted = {e.report.pk: e for e in entries}
    sections = (
        Section.objects.filter(report_id__in=list(wanted))
        .only("id", "report_id", "path", "heading", "text")
        .order_by("report_id", "order")
    )
    for section in sections:
        entry = wanted[section.report_id]
        if len(entry.passages) >= PASSAGES_PER_REPORT:
            continue
        text = section.text or section.heading
        if find_matches(text, terms):
            entry.passages.append(
                Passage(section.path, section.heading, section.get_absolute_url(), snippet_html(text, terms))
            )
