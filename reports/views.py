"""Browsing pages: thin views over reports/ querysets and presentation helpers."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from reports.filters import ReportFilter
from reports.models import BodyKind, Region, RegionLevel, Report, ReportKind, Section
from reports.presentation import ReaderOptions, section_tree, subtree_sections
from reports.reader_pages import page_sections, reader_paging
from reports.region_lookup import lookup_region, suggest_regions
from reports.script import to_simplified


def _display_title(report: Report, options: ReaderOptions) -> str:
    """The title in the script the reader asked for (?script=simplified converts it too)."""
    return to_simplified(report.title) if options.simplified else report.title


def _province_counts(queryset) -> list[tuple[Region | None, int]]:
    """Reports per province or the national level (the first step of a report's region path)."""
    counts: dict[str, int] = {}
    for tree_path, n in queryset.values_list("region__tree_path").annotate(n=Count("pk")).order_by():
        key = (tree_path or "")[:9]
        counts[key] = counts.get(key, 0) + n
    provinces = {r.tree_path: r for r in Region.objects.roots()}
    rows = [(provinces.get(key), n) for key, n in counts.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0].name if row[0] else "~"))


def _body_kind_counts(queryset) -> list[tuple[str, str, int]]:
    """(value, label, reports) per body kind: governments' own reports and departments'."""
    counts = dict(queryset.values_list("body_kind").annotate(n=Count("pk")).order_by())
    return [(value, label, counts[value]) for value, label in BodyKind.choices if counts.get(value)]


def _year_counts(queryset) -> list[tuple[int | None, int]]:
    return list(queryset.values_list("year").annotate(n=Count("pk")).order_by("-year"))


def home(request):
    reports = Report.objects.all()
    context = {
        "total": reports.count(),
        "section_total": Section.objects.count(),
        "by_province": _province_counts(reports),
        "by_year": _year_counts(reports),
        "recent": Report.objects.with_region().order_by("-created_at")[:10],
    }
    return render(request, "reports/home.html", context)


def report_list(request):
    report_filter = ReportFilter(request.GET, queryset=Report.objects.with_region().order_by("-year", "title"))
    if report_filter.is_valid():
        reports = report_filter.qs
        errors = None
    else:
        reports = Report.objects.none()
        errors = report_filter.errors
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    region_lookup = lookup_region(request.GET.get("region", ""))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": report_filter,
        "errors": errors,
        "page": page,
        "by_province": _province_counts(reports),
        "by_year": _year_counts(reports),
        "by_body_kind": _body_kind_counts(reports),
        "kinds": ReportKind.choices,
        "query": query.urlencode(),
        "region_lookup": region_lookup,
        "selected_region": region_lookup.region,
    }
    return render(request, "reports/list.html", context)


def report_detail(request, pk: int):
    report = get_object_or_404(Report.objects.with_region(), pk=pk)
    options = ReaderOptions.from_querydict(request.GET, report)
    # A huge report is read a page at a time (reports/reader_pages.py).
    paging = reader_paging(report, page=request.GET.get("page"), at=request.GET.get("at"))
    sections = page_sections(report, paging)
    query = request.GET.copy()
    for name in ("page", "at"):
        query.pop(name, None)
    context = {
        "report": report,
        "display_title": _display_title(report, options),
        "options": options,
        "tree": section_tree(sections, options),
        "page_sections": sections,  # the citation block cites these, not a huge report's all
        "section_count": sum(p.sections for p in paging.pages),
        "paging": paging,
        "page_query": query.urlencode(),
        "levels": RegionLevel,
    }
    return render(request, "reports/detail.html", context)


def section_detail(request, pk: int, path: str):
    report = get_object_or_404(Report.objects.with_region(), pk=pk)
    section = get_object_or_404(report.sections, path=path)
    options = ReaderOptions.from_querydict(request.GET, report)
    # The two neighbours only, without their text (all 20,000 siblings were read before).
    siblings = report.sections.filter(level=section.level, parent_id=section.parent_id).only(
        "pk", "report_id", "path", "number", "heading", "order"
    )
    context = {
        "report": report,
        "section": section,
        "display_title": _display_title(report, options),
        "options": options,
        "tree": section_tree(subtree_sections(report, section), options),
        "ancestors": _ancestors(section),
        "previous": siblings.filter(order__lt=section.order).order_by("-order").first(),
        "next": siblings.filter(order__gt=section.order).order_by("order").first(),
    }
    return render(request, "reports/section.html", context)


def _ancestors(section) -> list:
    chain = []
    node = section.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


@require_GET
def region_suggest(request):
    """Typeahead for region inputs: ?q=保定 → up to 10 regions (JSON), shallowest first."""
    regions = suggest_regions(request.GET.get("q", ""), limit=10)
    return JsonResponse(
        {
            "results": [
                {"id": r.pk, "name": r.name, "full_name": r.full_name, "level": r.level,
                 "level_label": r.get_level_display()}
                for r in regions
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )
