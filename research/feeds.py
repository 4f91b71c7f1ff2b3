"""Atom feeds: newly added reports, and new reports matching a saved search.

``/feeds/reports/`` lists the newest additions; ``/feeds/search/?q=…&region=…`` takes the
search page's query string and lists the matching reports, newest addition first (a feed
reader polling it sees each new match once).  Entry ids are the reports' absolute permalinks
(Django's default guid: stable), ``updated`` is the report's last change, ``published`` when it was added.

XML 1.0 cannot carry control characters: one in a title made the whole feed a 500 for every
reader.  Stored fields and query strings are cleaned at the boundary (reports/cleantext.py);
``CleanAtom1Feed`` cleans again whatever reaches the XML writer (rows written by
``update()`` or before the cleaning existed), so a feed can never fail on them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from reports.cleantext import strip_controls
from reports.models import Report
from research.matches import iter_matches
from search import service

FEED_ITEMS = 50
# A saved search over more reports than this looks at the best-ranked ones only.
MAX_CANDIDATES = 10_000
ARCHIVE = "法治政府报告库"


def _clean(value):
    if isinstance(value, str):
        return strip_controls(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    return value


class CleanAtom1Feed(Atom1Feed):
    """Atom without XML-illegal characters in any text it is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*[_clean(a) for a in args], **{k: _clean(v) for k, v in kwargs.items()})


class _ReportFeed(Feed):
    feed_type = CleanAtom1Feed
    author_name = ARCHIVE
    language = "zh-Hans"

    def item_title(self, report: Report) -> str:
        return report.title

    def item_description(self, report: Report) -> str:
        parts = [
            report.jurisdiction_name or "地区未定",
            f"{report.year} 年度" if report.year else "年度未定",
            report.get_kind_display(),
        ]
        if report.published:
            parts.append(f"发布于 {report.published:%Y-%m-%d}")
        return " · ".join(parts)

    def item_link(self, report: Report) -> str:
        return report.get_absolute_url()

    def item_pubdate(self, report: Report):
        return report.created_at

    def item_updateddate(self, report: Report):
        return report.updated_at or report.created_at

    def item_categories(self, report: Report):
        return [c for c in (report.get_kind_display(), str(report.year or "")) if c]


class NewReportsFeed(_ReportFeed):
    title = f"{ARCHIVE} · 新收录报告"
    subtitle = "法治政府报告库最新收录的报告。"

    def link(self) -> str:
        return reverse("reports:list")

    def feed_url(self) -> str:
        return reverse("research:feed-reports")

    def items(self):
        return Report.objects.with_region().defer("original_text").order_by("-created_at", "-pk")[:FEED_ITEMS]


class SearchFeed(_ReportFeed):
    """New reports matching a search; ``obj`` is (SearchParams, canonical query string)."""

    def get_object(self, request, *args, **kwargs):
        params, _warnings = service.params_from_querydict(request.GET)
        query = {
            k: v
            for k, v in request.GET.items()
            if k in ("q", "region", "year", "year_from", "year_to", "kind") and v
        }
        return params, urlencode(query)

    def title(self, obj) -> str:
        params, _ = obj
        what = f"“{params.q.strip()[:50]}”" if params.q.strip() else "全部报告"
        where = f"（{params.region.full_name}）" if params.region else ""
        return f"{ARCHIVE} · 检索 {what}{where} 的新报告"

    def subtitle(self, obj) -> str:
        return "与该检索相符的报告，按收录时间由新到旧排列。"

    def link(self, obj) -> str:
        return reverse("search:search") + ("?" + obj[1] if obj[1] else "")

    def feed_url(self, obj) -> str:
        return reverse("research:feed-search") + ("?" + obj[1] if obj[1] else "")

    def items(self, obj):
        params, _ = obj
        ids = [hit.report.pk for hit in iter_matches(params, sections=False, max_reports=MAX_CANDIDATES)]
        if not ids:
            return []
        return list(
            Report.objects.with_region()
            .defer("original_text")
            .filter(pk__in=ids)
            .order_by("-created_at", "-pk")[:FEED_ITEMS]
        )
