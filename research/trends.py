"""Term trends: what share of the reports held mention a term, per year and level/province.

Counted through the search index (``research.matches.iter_matches`` over
``search.service.search``), so a count is exactly what the linked search page shows:
script-blind (a simplified term counts traditional text) and with the same matching rules.
A report "mentions" a term when the search finds it; its sections that mention it are the
search's matching sections (title-only matches count the report but no section).
Reports without a year are left out of the chart and counted in ``undated``.

The share's denominator (``Cell.held``) is the number of reports the archive holds for that
group and year under the same region, year and kind filters, counted from the database with
the same grouping (``held_counts``): a year with more reports held is not a surge.

Results are cached (keyed by the parameters and ``research.stamp.archive_stamp``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count

from reports.models import Region, RegionLevel, Report
from research.matches import iter_matches
from research.stamp import stamp_key
from search import service

MAX_TERMS = 5
MAX_TERM_CHARS = 50
BY_CHOICES = {"level": "行政层级", "province": "省份"}
CACHE_SECONDS = 600
UNKNOWN = "未定"
LEVEL_LABELS = dict(RegionLevel.choices)
LEVEL_BY_LABEL = {label: level for level, label in LEVEL_LABELS.items()}
_SPLIT = re.compile(r"[,，、;；\n]+")


@dataclass
class TrendParams:
    terms: list[str] = field(default_factory=list)
    by: str = "level"
    region: Region | None = None
    year_from: int | None = None
    year_to: int | None = None
    kind: str = ""

    def cache_parts(self) -> tuple:
        return (
            tuple(self.terms),
            self.by,
            self.region.pk if self.region else "",
            self.year_from,
            self.year_to,
            self.kind,
        )


@dataclass
class Cell:
    reports: int = 0  # reports that mention the term
    sections: int = 0  # their sections that mention it
    search_url: str = ""
    held: int = 0  # reports the archive holds for this group and year (same filters)

    @property
    def share(self) -> float | None:
        """reports / held, or None when nothing is held (no share to speak of)."""
        return self.reports / self.held if self.held else None

    @property
    def percent(self) -> str:
        share = self.share
        if share is None:
            return "—"
        if 0 < share < 0.01:
            return "<1%"
        return f"{share * 100:.0f}%"


@dataclass
class TermTrend:
    term: str
    years: list[int]
    groups: list[str]  # level labels (省级 … 未定) or province names, largest first
    cells: dict[str, dict[int, Cell]]  # group -> year -> counts
    year_totals: dict[int, Cell]
    total_reports: int = 0
    total_sections: int = 0
    undated: int = 0


@dataclass
class TrendResult:
    params: TrendParams
    trends: list[TermTrend]
    warnings: list[str] = field(default_factory=list)


def split_terms(raw: str) -> list[str]:
    """'行政复议,出庭应诉率' (also ，、；) -> unique non-empty terms, at most MAX_TERMS."""
    out: list[str] = []
    for part in _SPLIT.split(raw or ""):
        term = part.strip().strip('"“”「」')[:MAX_TERM_CHARS].strip()
        if term and term not in out:
            out.append(term)
    return out


def params_from_querydict(qd) -> tuple[TrendParams, list[str]]:
    """?terms=&by=level|province&region=&year_from=&year_to=&kind= ; never raises."""
    warnings: list[str] = []
    terms = split_terms(str(qd.get("terms", "") or ""))
    if len(terms) > MAX_TERMS:
        warnings.append(f"最多比较 {MAX_TERMS} 个词，已只取前 {MAX_TERMS} 个。")
        terms = terms[:MAX_TERMS]
    by = str(qd.get("by", "") or "level").strip()
    if by not in BY_CHOICES:
        warnings.append(f"分组方式“{by[:20]}”无效，已按行政层级分组。")
        by = "level"
    # Region, years and kind are read exactly as the search page reads them.
    sp, search_warnings = service.params_from_querydict(
        {k: qd.get(k) for k in ("region", "year_from", "year_to", "kind") if qd.get(k) not in (None, "")}
    )
    warnings.extend(search_warnings)
    return TrendParams(
        terms=terms, by=by, region=sp.region, year_from=sp.year_from, year_to=sp.year_to, kind=sp.kind
    ), warnings


def search_q(term: str) -> str:
    """The search-syntax query for one term: quoted when it has spaces or operator words."""
    if re.search(r"\s|^-|\b(OR|AND|NOT)\b|[()]", term):
        return '"' + term.replace('"', "") + '"'
    return term


def search_url(
    term: str, params: TrendParams, *, year: int | None = None, region: str = "", level: int | None = None
) -> str:
    query: dict[str, str | int] = {"q": search_q(term)}
    if year is not None:
        query["year"] = year
    else:
        if params.year_from:
            query["year_from"] = params.year_from
        if params.year_to:
            query["year_to"] = params.year_to
    if region:
        query["region"] = region
    elif params.region is not None:
        query["region"] = params.region.pk
    if level is not None:
        query["level"] = level
    if params.kind:
        query["kind"] = params.kind
    return "/search/?" + urlencode(query)


def _group_of(report, by: str) -> tuple[str, str]:
    """(group label, region filter for the search link) of a report."""
    region = report.region if report.region_id else None
    if by == "province":
        province = region.at_level(RegionLevel.PROVINCE) if region else None
        return (province.name, str(province.pk)) if province else (UNKNOWN, "")
    if region is None:
        return UNKNOWN, ""
    return LEVEL_LABELS.get(region.level, UNKNOWN), ""


def held_counts(params: TrendParams) -> dict[str, dict[int, int]]:
    """Reports held per group and year under the trend's filters (the shares' denominators).

    Grouped exactly as ``_group_of`` groups the matches: by the region's level, or by the
    province at the head of the region's tree path; reports without a year are left out."""
    reports = Report.objects.exclude(year=None).for_years(params.year_from, params.year_to)
    if params.region is not None:
        reports = reports.in_region(params.region)
    if params.kind:
        reports = reports.of_kind(params.kind)
    rows = reports.values_list("year", "region__level", "region__tree_path").annotate(n=Count("pk")).order_by()
    provinces = {r.tree_path: r.name for r in Region.objects.provinces()} if params.by == "province" else {}
    held: dict[str, dict[int, int]] = {}
    for year, level, tree_path, n in rows:
        if params.by == "province":
            group = provinces.get((tree_path or "")[:9], UNKNOWN)
        else:
            group = UNKNOWN if tree_path is None else LEVEL_LABELS.get(level, UNKNOWN)
        by_year = held.setdefault(group, {})
        by_year[year] = by_year.get(year, 0) + n
    return held


def term_trend(term: str, params: TrendParams, held: dict[str, dict[int, int]] | None = None) -> TermTrend:
    sp = service.SearchParams(
        q=search_q(term),
        region=params.region,
        year_from=params.year_from,
        year_to=params.year_to,
        kind=params.kind,
        sort="relevance",
    )
    cells: dict[str, dict[int, Cell]] = {}
    link_region: dict[str, str] = {}
    totals: dict[int, Cell] = {}
    undated = 0
    held = held_counts(params) if held is None else held
    # Sections are counted, never shown: no snippet is built (that read every matching
    # section's text, 20,000 of them for one big report).
    for hit in iter_matches(sp, sections=True, snippets=False):
        year = hit.report.year
        if not year:
            undated += 1
            continue
        group, region_filter = _group_of(hit.report, params.by)
        link_region[group] = region_filter
        cell = cells.setdefault(group, {}).setdefault(year, Cell())
        cell.reports += 1
        cell.sections += len(hit.sections)
        total = totals.setdefault(year, Cell())
        total.reports += 1
        total.sections += len(hit.sections)

    years_seen = sorted(totals)
    first = params.year_from or (years_seen[0] if years_seen else None)
    last = params.year_to or (years_seen[-1] if years_seen else None)
    years = list(range(first, last + 1)) if first and last and last - first <= 100 else years_seen
    for year in years:
        total = totals.setdefault(year, Cell())
        total.search_url = search_url(term, params, year=year)
        total.held = sum(by_year.get(year, 0) for by_year in held.values())
    for group, by_year in cells.items():
        region_filter = link_region.get(group, "")
        level = LEVEL_BY_LABEL.get(group) if params.by == "level" else None
        for year, cell in by_year.items():
            cell.search_url = search_url(term, params, year=year, region=region_filter, level=level)
            cell.held = held.get(group, {}).get(year, 0)
    # Groups with reports held but no mention still get their zero cells (0 of n held).
    for group, by_year in held.items():
        for year, n in by_year.items():
            if year in totals and year not in cells.get(group, {}):
                cells.setdefault(group, {})[year] = Cell(held=n)

    def group_order(g: str):
        if params.by == "level":
            labels = list(LEVEL_LABELS.values())
            return (labels.index(g) if g in labels else 99, g)
        return (g == UNKNOWN, -sum(c.reports for c in cells[g].values()), -sum(c.held for c in cells[g].values()), g)

    return TermTrend(
        term=term,
        years=years,
        groups=sorted(cells, key=group_order),
        cells=cells,
        year_totals={y: totals[y] for y in years},
        total_reports=sum(c.reports for c in totals.values()),
        total_sections=sum(c.sections for c in totals.values()),
        undated=undated,
    )


def compute_trends(params: TrendParams) -> list[TermTrend]:
    """One TermTrend per term (cached while the archive is unchanged)."""
    if not params.terms:
        return []
    key = stamp_key("trends", *params.cache_parts())
    trends = cache.get(key)
    if trends is None:
        held = held_counts(params)
        trends = [term_trend(term, params, held) for term in params.terms]
        cache.set(key, trends, CACHE_SECONDS)
    return trends


def _point(cell: Cell) -> dict:
    share = cell.share
    return {**asdict(cell), "share": None if share is None else round(share, 4)}


def as_json(params: TrendParams, trends: list[TermTrend], warnings: list[str]) -> dict:
    """The /api/trends/ document: one point per term × group × year (zeros included)."""
    return {
        "terms": params.terms,
        "by": params.by,
        "region": params.region.pk if params.region else None,
        "year_from": params.year_from,
        "year_to": params.year_to,
        "kind": params.kind,
        "method": "search-index",
        "warnings": warnings,
        "trends": [
            {
                "term": t.term,
                "years": t.years,
                "groups": t.groups,
                "total_reports": t.total_reports,
                "total_sections": t.total_sections,
                "undated_reports": t.undated,
                "totals": [{"year": y, **_point(t.year_totals[y])} for y in t.years],
                "points": [
                    {"group": g, "year": y, **_point(t.cells[g].get(y) or Cell())}
                    for g in t.groups
                    for y in t.years
                ],
            }
            for t in trends
        ],
    }
