"""Compliance and timeliness across the archive: one row per report, rates per group.

Every rule-of-law report (at most ``MAX_REPORTS``, newest first) is checked with
research/compliance.py and research/timeliness.py; rows are cached per archive state
(research/stamp.py), so a page view after the first costs one cache read.  Groups are the
jurisdiction's level, its province, or the year reported on; each rate links to the reports
behind it (drill-down: same page, ``group`` and ``part``/``status`` filters).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone

from reports.models import RegionLevel, Report, ReportKind, Section
from research.compliance import PART_LABELS, PARTS, check
from research.stamp import stamp_key
from research.timeliness import assess

MAX_REPORTS = 5000
BY_CHOICES = {"level": "行政层级", "province": "省份", "year": "年度"}
LEVEL_LABELS = dict(RegionLevel.choices)
NO_GROUP = "未定"


@dataclass
class GroupRate:
    group: str
    reports: int = 0
    complete: int = 0
    parts: dict[str, int] = field(default_factory=lambda: {k: 0 for k in PARTS})
    timeliness: dict[str, int] = field(default_factory=lambda: {"on_time": 0, "late": 0, "unknown": 0})

    def percent(self, n: int) -> float:
        return round(100 * n / self.reports, 1) if self.reports else 0.0

    @property
    def part_rates(self) -> list[tuple[str, int, float]]:
        return [(k, self.parts[k], self.percent(self.parts[k])) for k in PARTS]

    @property
    def on_time_rate(self) -> float:
        known = self.timeliness["on_time"] + self.timeliness["late"]
        return round(100 * self.timeliness["on_time"] / known, 1) if known else 0.0


def _row(report: Report) -> dict:
    sections = list(report.sections.all())
    checklist = check(sections, full_text="" if sections else report.original_text, year=report.year)
    # The local date, as on the report page (research/instruments.py): a report first seen at
    # 01:00 Beijing time on 1 April is late, though it is still 31 March in UTC.
    first_seen = timezone.localtime(report.created_at).date() if report.created_at else None
    timeliness = assess(year=report.year, published=report.published, first_seen=first_seen)
    region = report.region
    province = region.at_level(RegionLevel.PROVINCE) if region else None
    return {
        "report_id": report.pk,
        "title": report.title,
        "url": report.get_absolute_url(),
        "jurisdiction": region.full_name if region else "",
        "level": LEVEL_LABELS.get(region.level, NO_GROUP) if region else NO_GROUP,
        "province": province.name if province else (region.name if region and region.level == 0 else NO_GROUP),
        "year": report.year,
        "script": report.script,
        **{k: k in checklist.present_keys for k in PARTS},
        "score": checklist.score,
        "timeliness": timeliness.status,
        "days_late": timeliness.days_late,
        "date_used": timeliness.date_used.isoformat() if timeliness.date_used else "",
        "date_source": timeliness.source,
    }


def report_rows() -> list[dict]:
    """One dict per rule-of-law report (newest first, at most MAX_REPORTS)."""
    key = stamp_key("instrument-rows", MAX_REPORTS)
    rows = cache.get(key)
    if rows is None:
        fields = ("report_id", "path", "level", "heading", "text", "order")
        sections = Prefetch("sections", queryset=Section.objects.only(*fields))
        reports = (
            Report.objects.of_kind(ReportKind.RULE_OF_LAW).with_region()
            .order_by("-year", "pk").prefetch_related(sections)[:MAX_REPORTS]
        )
        rows = [_row(r) for r in reports]
        cache.set(key, rows, 3600)
    return rows


def rows_matching_search(rows: list[dict], params) -> tuple[list[dict], int]:
    """The rows of the reports a search matches (research/matches.py: same query, filters and
    engine as the search page), and how many reports it matched (any kind)."""
    from research.matches import iter_matches

    ids = {hit.report.pk for hit in iter_matches(params, sections=False, max_reports=MAX_REPORTS)}
    return [r for r in rows if r["report_id"] in ids], len(ids)


def scoped_rows(query) -> tuple[list[dict], dict]:
    """Every rule-of-law report's row, or (with ``q`` in ``query``) those of the reports a
    search matches — the checklist as a filter on a search — and what the page says about it."""
    from research.matches import has_query
    from search import service

    rows = report_rows()
    if not str(query.get("q", "")).strip():
        return rows, {}
    params, warnings = service.params_from_querydict(query)
    if not has_query(params):
        return rows, {"warnings": [*warnings, "检索词为空，已统计全部报告。"]}
    matched, n = rows_matching_search(rows, params)
    keep = query.copy()
    for name in ("by", "group", "part", "missing", "status", "complete", "page"):
        keep.pop(name, None)
    return matched, {"q": params.q, "matched": n, "search_query": keep.urlencode(), "warnings": warnings,
                     "hidden": [(k, v) for k, v in keep.items() if v]}


def group_of(row: dict, by: str) -> str:
    value = row.get(by if by in BY_CHOICES else "level")
    return str(value) if value not in (None, "") else NO_GROUP


def rates(rows: list[dict], by: str) -> list[GroupRate]:
    groups: dict[str, GroupRate] = defaultdict(lambda: GroupRate(""))
    for row in rows:
        name = group_of(row, by)
        rate = groups[name]
        rate.group = name
        rate.reports += 1
        rate.complete += row["score"] == len(PARTS)
        for k in PARTS:
            rate.parts[k] += row[k]
        rate.timeliness[row["timeliness"]] += 1
    return sorted(groups.values(), key=lambda g: g.group)


def drill_down(rows: list[dict], *, by: str, group: str = "", part: str = "", missing: bool = False,
               status: str = "", complete: bool = False) -> list[dict]:
    """The reports behind one cell of the rates table (every group when ``group`` is empty);
    ``complete``: only those with all five parts."""
    chosen = [r for r in rows if not group or group_of(r, by) == group]
    if complete:
        chosen = [r for r in chosen if r["score"] == len(PARTS)]
    if part in PART_LABELS:
        chosen = [r for r in chosen if r[part] != missing]
    if status in ("on_time", "late", "unknown"):
        chosen = [r for r in chosen if r["timeliness"] == status]
    return chosen


CSV_FIELDS = ["report_id", "title", "jurisdiction", "level", "province", "year", "script", *PARTS, "score",
              "timeliness", "days_late", "date_used", "date_source", "url"]
