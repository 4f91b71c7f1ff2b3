"""Search service: the one function the search views and API call.

``search(SearchParams) -> SearchPage`` never raises: a bad query becomes a page with a
Chinese ``error``/``warnings``; an engine failure is logged and becomes a friendly message.
Results are REPORTS (count, facets and order are per report); each carries its best
matching sections with snippets in the original script.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field

from django.urls import NoReverseMatch

from reports.models import BodyKind, Region, RegionLevel, Report, ReportKind, Section
from search import facets
from search.highlight import snippets_html
from search.querysyntax import parse_query

log = logging.getLogger(__name__)

SORTS = ("relevance", "year", "-year")
MAX_PER_PAGE = 100
MAX_PAGE = 10_000

E_ENGINE = "搜索服务暂时出错，请稍后重试或换一个查询。"
E_NOTHING = "查询中没有可搜索的词，请输入要查找的词。"
W_PAGE = "页码超出范围，已显示最后一页。"

LEVEL_LABELS = dict(RegionLevel.choices)


@dataclass
class SearchParams:
    q: str = ""
    region: Region | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    kind: str = ""
    body_kind: str = ""  # "gov" (governments' own reports) or "dept" (departments' reports)
    level: int | None = None  # RegionLevel of the report's own region (0 = national)
    sort: str = "relevance"  # or "year" (oldest first) / "-year" (newest first)
    page: int = 1
    per_page: int = 20
    sections_per_report: int = 3
    snippets: bool = True  # False: matching sections are counted, not read (research counts)
    region_choices: list[Region] = field(default_factory=list)  # when the region input was ambiguous


@dataclass
class SectionHit:
    id: int
    path: str
    heading: str
    snippet_html: str
    url: str


@dataclass
class ReportHit:
    report: Report
    score: float
    sections: list[SectionHit]


@dataclass
class SearchPage:
    query: str
    count: int = 0
    results: list[ReportHit] = field(default_factory=list)
    facets: dict = field(default_factory=lambda: {"year": {}, "province": {}, "level": {}, "body_kind": {}})
    page: int = 1
    num_pages: int = 1
    terms: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    # Drill-down (search.facets): children of the selected region, matches at it, per level.
    regions: list = field(default_factory=list)
    regions_own: int = 0
    levels: list = field(default_factory=list)
    body_kinds: list = field(default_factory=list)  # search.facets.BodyKindCount per body kind

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages


def warm_up() -> None:
    """Prepare this process's search engine and pages (gunicorn calls it in each new worker)."""
    from search.backends import get_backend
    from search.warmup import warm_pages

    try:
        warm_pages()
    except Exception:  # never keep a worker from serving over a warm-up
        log.exception("page warm-up failed")
    backend = get_backend()
    if hasattr(backend, "warm_up"):
        backend.warm_up()


def search(params: SearchParams) -> SearchPage:
    q = params.q if isinstance(params.q, str) else ""
    page = SearchPage(query=q)
    try:
        return _search(params, page)
    except Exception:
        log.exception("search failed for q=%r", q[:200])
        page.results, page.count = [], 0
        page.error = E_ENGINE
        return page


def _search(params: SearchParams, page: SearchPage) -> SearchPage:
    from search.backends import get_backend

    parsed = parse_query(page.query)
    page.warnings.extend(parsed.warnings)
    page.terms = list(parsed.terms)
    if parsed.empty and page.query.strip():
        page.error = E_NOTHING
        return page

    per_page = min(max(int(params.per_page or 20), 1), MAX_PER_PAGE)
    number = min(max(int(params.page or 1), 1), MAX_PAGE)
    sort = params.sort if params.sort in SORTS else "relevance"
    backend = get_backend()

    def run(n):
        return backend.search_reports(
            parsed.node,
            year=params.year,
            years=(params.year_from, params.year_to),
            kind=params.kind or "",
            body_kind=params.body_kind or "",
            tree_path=params.region.tree_path if params.region is not None else "",
            level=params.level,
            sort=sort,
            start=(n - 1) * per_page,
            stop=n * per_page,
        )

    matches = run(number)
    num_pages = max(1, math.ceil(matches.count / per_page))
    if number > num_pages:
        page.warnings.append(W_PAGE)
        number = num_pages
        matches = run(number)

    page.count = matches.count
    page.page, page.num_pages = number, num_pages
    page.facets = _facets(matches.facets)
    paths = matches.facets.get("path", {})
    page.regions, page.regions_own = facets.drill_down(paths, params.region)
    region_levels = matches.facets.get("region_level")
    page.levels = facets.level_rows(region_levels) if region_levels is not None else facets.level_counts(paths)
    page.body_kinds = facets.body_kind_counts(matches.facets.get("body_kind", {}))
    # Per level from the region paths, so the national level (0, also "no region") counts.
    page.facets["level"] = {row.label: row.count for row in page.levels}

    ids = [rid for rid, _ in matches.hits]
    reports = Report.objects.with_region().defer("original_text").in_bulk(ids)
    section_ids = (
        _matching_sections(backend, parsed.node, ids, params.sections_per_report)
        if parsed.node is not None and params.sections_per_report > 0
        else {}
    )
    if params.snippets:
        sections = _section_hits(section_ids, page.terms)
    else:  # ids only: no section text is read or marked
        sections = {rid: [SectionHit(sid, "", "", "", "") for sid, _ in found] for rid, found in section_ids.items()}
    for rid, score in matches.hits:
        report = reports.get(rid)
        if report is None:  # deleted since it was indexed; the queue will catch up
            continue
        page.results.append(ReportHit(report=report, score=score, sections=sections.get(rid, [])))
    return page


def _facets(raw: dict) -> dict:
    years = dict(sorted(raw.get("year", {}).items(), key=lambda kv: -kv[0]))
    provinces = dict(sorted(raw.get("province", {}).items(), key=lambda kv: (-kv[1], kv[0])))
    levels = {
        LEVEL_LABELS[lv]: n for lv, n in sorted(raw.get("level", {}).items()) if lv in LEVEL_LABELS
    }
    bodies = {row.label: row.count for row in facets.body_kind_counts(raw.get("body_kind", {}))}
    return {"year": years, "province": provinces, "level": levels, "body_kind": bodies}


def _matching_sections(backend, node, ids: list[int], per_report: int) -> dict[int, list[tuple[int, list | None]]]:
    """report id -> [(section id, match offsets from the section's start, or None)].

    The offsets (where the engine can give them) let the snippet fold only the text around
    the matches; None: the snippet folds the whole section.
    """
    if hasattr(backend, "matching_section_offsets"):
        return backend.matching_section_offsets(node, ids, per_report)
    found = backend.matching_sections(node, ids, per_report)
    return {rid: [(sid, None) for sid in sids] for rid, sids in found.items()}


def _section_hits(
    section_ids: dict[int, list[tuple[int, list | None]]], terms: list[str]
) -> dict[int, list[SectionHit]]:
    wanted = [sid for found in section_ids.values() for sid, _ in found]
    if not wanted:
        return {}
    rows = _section_rows(wanted)
    url_for = _section_url_builder()
    shown: list[tuple] = []  # (report id, section id, path, heading, url, (text, near))
    for rid, found in section_ids.items():
        for sid, offsets in found:
            row = rows.get(sid)
            if row is None:
                continue
            report_id, path, heading, text = row
            near = None
            if text and offsets is not None:
                # Offsets count from the heading; the section's text follows it.
                skip = len(heading or "")
                near = [o - skip for o in offsets if o >= skip]
            elif offsets is not None:
                near = offsets
            shown.append((rid, sid, path, heading, url_for(report_id, path), (text or heading, near)))
    snippets = snippets_html([item for *_, item in shown], terms)
    out: dict[int, list[SectionHit]] = {}
    for (rid, sid, path, heading, url, _), snippet in zip(shown, snippets):
        out.setdefault(rid, []).append(SectionHit(id=sid, path=path, heading=heading, snippet_html=snippet, url=url))
    return out


def _section_rows(ids: list[int]) -> dict[int, tuple[int, str, str, str]]:
    """section id -> (report id, path, heading, text): plain rows, no model objects.

    The shown sections of one page (up to 100 x 3); compiled and read once per search.
    """
    rows = Section.objects.filter(pk__in=ids).values_list("id", "report_id", "path", "heading", "text")
    return {sid: (rid, path, heading, text) for sid, rid, path, heading, text in rows}


# Section paths that reverse() would put into the URL unchanged (e.g. "2.3.1").
_PLAIN_PATH = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_~")


def _section_url_builder():
    """``Section.get_absolute_url`` for many sections: one reverse() instead of one each.

    Falls back to reverse() for a path that would need quoting, or if the URL pattern does
    not put the id and path where the probe finds them.
    """
    from django.urls import reverse

    def slow(report_id: int, path: str) -> str:
        try:
            return reverse("reports:section", args=[report_id, path])
        except NoReverseMatch:
            return ""

    try:
        probe = reverse("reports:section", args=[987654321, "PROBE"])
    except NoReverseMatch:
        return slow
    head, _, rest = probe.partition("987654321")
    middle, _, tail = rest.partition("PROBE")
    if not rest or "987654321" in rest or "PROBE" in tail:
        return slow

    def fast(report_id: int, path: str) -> str:
        if path and _PLAIN_PATH.issuperset(path):
            return f"{head}{report_id}{middle}{path}{tail}"
        return slow(report_id, path)

    return fast


def _int(value: str) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _year(value, name: str, warnings: list[str]) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    y = _int(value)
    if y is None or not 1949 <= y <= 2100:
        warnings.append(f"{name}“{str(value)[:20]}”无效，已忽略。")
        return None
    return y


def resolve_region(value: str, warnings: list[str], choices: list[Region] | None = None) -> Region | None:
    """The region a reader means (reports.region_lookup: 保定, 河北省>保定市, 130600, an id).

    Never a silent drop: an ambiguous or unknown input adds a Chinese warning, and the
    candidates of an ambiguous one go to ``choices`` so the page can offer them."""
    from reports.region_lookup import lookup_region

    found = lookup_region(value)
    if found.message:
        warnings.append(found.message)
    if choices is not None:
        choices.extend(found.candidates)
    return found.region


def params_from_querydict(qd) -> tuple[SearchParams, list[str]]:
    """Read ?q=&region=&year=&year_from=&year_to=&kind=&body_kind=&sort=&page= ; never raises."""
    warnings: list[str] = []
    params = SearchParams()
    try:
        params.q = str(qd.get("q", "") or "")
        params.region = resolve_region(str(qd.get("region", "") or ""), warnings, params.region_choices)
        params.year = _year(qd.get("year"), "年度", warnings)
        params.year_from = _year(qd.get("year_from"), "起始年度", warnings)
        params.year_to = _year(qd.get("year_to"), "截止年度", warnings)
        if params.year_from and params.year_to and params.year_from > params.year_to:
            params.year_from, params.year_to = params.year_to, params.year_from
            warnings.append("起始年度晚于截止年度，已对调。")
        level = str(qd.get("level", "") or "").strip()
        if level:
            if _int(level) in LEVEL_LABELS:
                params.level = _int(level)
            else:
                warnings.append(f"行政层级“{level[:20]}”无效，已忽略。")
        kind = str(qd.get("kind", "") or "").strip()
        if kind:
            if kind in ReportKind.values:
                params.kind = kind
            else:
                warnings.append(f"报告类型“{kind[:20]}”无效，已忽略。")
        body_kind = str(qd.get("body_kind", "") or "").strip()
        if body_kind:
            if body_kind in BodyKind.values:
                params.body_kind = body_kind
            else:
                warnings.append(f"报告主体“{body_kind[:20]}”无效，已忽略。")
        sort = str(qd.get("sort", "") or "").strip()
        if sort:
            if sort in SORTS:
                params.sort = sort
            else:
                warnings.append(f"排序方式“{sort[:20]}”无效，已按相关度排序。")
        raw_page = qd.get("page")
        if raw_page not in (None, ""):
            number = _int(raw_page)
            if number is None or number < 1:
                warnings.append("页码无效，已显示第一页。")
            else:
                params.page = min(number, MAX_PAGE)
    except Exception:  # a malformed query dict must not break the page
        log.exception("bad search parameters")
        warnings.append("部分搜索参数无效，已忽略。")
    return params, warnings
