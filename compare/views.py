"""Comparison pages: thin views over compare.grid builders and the reader's selection list."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from compare import figure_table, grid, selection
from compare.selection import SelectionError
from reports.models import Report


def _selected_reports(request) -> list[Report]:
    ids = selection.get_selection(selection.store(request))
    found = Report.objects.with_region().defer("original_text").in_bulk(ids)
    ids = selection.prune_selection(selection.store(request), found)
    return [found[i] for i in ids]


@require_GET
def compare_page(request):
    """?reports=ID,ID → topic grid; ?q=… → keyword grid; neither → how to start."""
    if "reports" in request.GET:
        response = _topic_grid(request)
    elif "q" in request.GET:
        response = _keyword_grid(request)
    else:
        response = render(request, "compare/start.html", {"selected": _selected_reports(request)})
    selection.store(request).write(response)  # reports deleted since were pruned
    return response


def _topic_grid(request):
    try:
        reports = selection.load_reports(selection.parse_report_ids(request.GET.getlist("reports")))
    except SelectionError as exc:
        context = {"error": str(exc), "selected": _selected_reports(request)}
        return render(request, "compare/start.html", context, status=400)
    simplified = request.GET.get("script") == "simplified"
    comparison = grid.build_comparison(reports, simplified=simplified)
    return render(request, "compare/compare.html", {"cmp": comparison})


def _keyword_grid(request):
    from search.service import params_from_querydict

    params, warnings = params_from_querydict(request.GET)
    context = {"params": params, "region_value": request.GET.get("region", "")[:100], "quick_q": params.q}
    if not params.q.strip():
        context["error"] = "请输入检索词，例如：行政复议。"
        return render(request, "compare/keyword.html", context)
    result = grid.keyword_grid(params)
    context["grid"] = result
    context["warnings"] = [*warnings, *result.warnings]
    return render(request, "compare/keyword.html", context)


@require_GET
def figures_csv(request):
    """The figure table as CSV (UTF-8 with BOM, so Excel reads the Chinese correctly)."""
    try:
        reports = selection.load_reports(selection.parse_report_ids(request.GET.getlist("reports")))
    except SelectionError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    records = grid.figure_records(reports, grid.load_indicators(reports))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "报告编号",
            "报告标题",
            "地区",
            "年度",
            "指标代码",
            "指标",
            "数值",
            "单位",
            "章节",
            "章节链接",
            "原句",
        ]
    )
    for note in records:
        indicator, report = note.indicator, note.report
        writer.writerow(
            [
                report.pk,
                _cell(report.title),
                _cell(report.jurisdiction_name),
                report.year or "",
                indicator.key,
                indicator.label,
                indicator.display_value,
                indicator.unit,
                indicator.section.path,
                request.build_absolute_uri(note.section_url),
                _cell(indicator.sentence),
            ]
        )
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="figures.csv"'
    return response


@require_GET
def figures_table_page(request):
    """One indicator across bodies × years (compare.figure_table), with charts."""
    params = figure_table.params_from_querydict(request.GET)
    context = {
        "table": figure_table.cross_table(params),
        "params": params,
        "choices": figure_table.indicator_choices(),
        "query": request.GET.urlencode(),
    }
    return render(request, "compare/figures_table.html", context)


@require_GET
def figures_table_csv(request):
    table = figure_table.cross_table(figure_table.params_from_querydict(request.GET))
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(figure_table.CSV_FIELDS)
    for row in figure_table.csv_rows(table, request.build_absolute_uri):
        writer.writerow([_cell(str(row[f])) for f in figure_table.CSV_FIELDS])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="figures-{table.params.key}.csv"'
    return response


def _cell(text: str) -> str:
    """Keep spreadsheet programs from reading report text as a formula."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_POST
def selection_update(request):
    """POST report=<id>&action=add|remove|clear&next=<path>: edit the reader's list, go back."""
    session = selection.store(request)
    action = request.POST.get("action", "add")
    raw_id = (request.POST.get("report") or "").strip()
    report_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 18 else None
    if action == "clear":
        result = selection.selection_clear(session)
    elif report_id is None:
        result = selection.SelectionResult(
            selection.get_selection(session), "未指定有效的报告。", ok=False
        )
    elif action == "remove":
        result = selection.selection_remove(session, report_id)
    elif action == "add" and Report.objects.filter(pk=report_id).exists():
        result = selection.selection_add(session, report_id)
    else:
        result = selection.SelectionResult(
            selection.get_selection(session), "找不到该报告。", ok=False
        )
    (messages.success if result.ok else messages.warning)(request, result.message)

    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("compare:start")
    if request.headers.get("X-Compare-Inline") == "1":
        response = _selection_fragment(request, target.split("#", 1)[0])
    else:
        response = HttpResponseRedirect(target)
    session.write(response)
    return response


def _selection_fragment(request, next_path: str):
    """The changed list bar and the page's 加入对比 buttons, for static/js/site.js to swap in
    without reloading the page (the reader stays where they were)."""
    raw = (request.POST.get("buttons") or "").split(",")
    ids = [int(x) for x in raw if x.strip().isdigit() and len(x.strip()) <= 18][:200]
    found = Report.objects.only("pk", "title").in_bulk(ids)
    context = {"buttons": [found[i] for i in ids if i in found], "compare_next": next_path}
    return render(request, "compare/_selection_update.html", context)
