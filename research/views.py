"""Research pages and downloads: thin views over research/ modules."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from reports.models import Report, ReportKind
from research import bulk, citations, coverage, export, trends
from research.share_chart import ShareChart, ShareValue, share_chart
from research.sources import citation_source
from research.stamp import archive_stamp
from research.timeliness import STATUS_LABELS
from search import service

# -- export -----------------------------------------------------------------


def _export_response(request, chunks, *, content_type: str, ext: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="fazhi-search-{stamp}.{ext}"'
    response["X-Export-Max-Rows"] = str(export.MAX_ROWS)
    response["Cache-Control"] = "no-store"
    return response


def export_csv(request):
    params, _warnings = service.params_from_querydict(request.GET)
    rows = export.export_rows(params, request.build_absolute_uri)
    return _export_response(
        request, export.csv_chunks(rows), content_type="text/csv; charset=utf-8", ext="csv"
    )


def export_jsonl(request):
    params, _warnings = service.params_from_querydict(request.GET)
    rows = export.export_rows(params, request.build_absolute_uri)
    return _export_response(
        request, export.jsonl_chunks(rows), content_type="application/x-ndjson; charset=utf-8", ext="jsonl"
    )


# -- trends -----------------------------------------------------------------


def _chart(trend: trends.TermTrend) -> ShareChart:
    def value(cell: trends.Cell) -> ShareValue:
        return ShareValue(cell.reports, cell.held, cell.search_url if cell.reports else "")

    totals = {y: value(c) for y, c in trend.year_totals.items()}
    values = {g: {y: value(c) for y, c in by_year.items()} for g, by_year in trend.cells.items()}
    return share_chart(trend.years, totals, trend.groups, values, title=trend.term)


def trends_page(request):
    params, warnings = trends.params_from_querydict(request.GET)
    results = trends.compute_trends(params)
    context = {
        "params": params,
        "terms_text": "，".join(params.terms),
        "warnings": warnings,
        "results": [(t, _chart(t)) for t in results],
        "by_choices": trends.BY_CHOICES,
        "kinds": ReportKind.choices,
        "api_query": request.GET.urlencode(),
    }
    return render(request, "research/trends.html", context)


# -- coverage ---------------------------------------------------------------


def coverage_page(request):
    params = coverage.params_from_querydict(request.GET)
    table = coverage.coverage_table(params)
    missing_year = request.GET.get("missing", "")
    missing_year = int(missing_year) if missing_year.isdigit() and int(missing_year) in table.years else None
    here = request.GET.copy()
    here.pop("missing", None)
    if params.scope.place is not None:
        here["region"] = ">".join(p.name for p in params.scope.chain)
    query = here.copy()
    query.pop("region", None)
    context = {
        "table": table,
        "params": params,
        "kinds": ReportKind.choices,
        "depths": coverage.DEPTHS,
        "provinces": coverage.children_of(None),
        "missing_year": missing_year,
        "missing": table.missing(missing_year) if missing_year else None,
        "query": query.urlencode(),  # the other filters, kept by drill-down links
        "here": here.urlencode(),
        "max_units": coverage.MAX_UNITS,
    }
    return render(request, "research/coverage.html", context)


def coverage_csv(request):
    import csv
    import io

    from research.export import _csv_cell

    table = coverage.coverage_table(coverage.params_from_querydict(request.GET))
    buffer = io.StringIO()
    buffer.write(export.CSV_BOM)
    writer = csv.writer(buffer)
    writer.writerow(coverage.CSV_FIELDS)
    for row in coverage.csv_rows(table):
        writer.writerow([_csv_cell(row[f]) for f in coverage.CSV_FIELDS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fazhi-coverage.csv"'
    return response


# -- citations and originals --------------------------------------------------

CITE_TYPES = {
    "bib": ("application/x-bibtex; charset=utf-8", citations.bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", citations.ris),
}


def _cite_response(request, report, section, fmt: str) -> HttpResponse:
    if fmt not in CITE_TYPES:
        raise Http404
    content_type, formatter = CITE_TYPES[fmt]
    src = citation_source(report, request.build_absolute_uri, section)
    response = HttpResponse(formatter(src), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{citations.bibtex_key(src)}.{fmt}"'
    return response


def report_cite(request, pk: int, fmt: str):
    report = get_object_or_404(Report.objects.with_region().defer("original_text"), pk=pk)
    return _cite_response(request, report, None, fmt)


def section_cite(request, pk: int, path: str, fmt: str):
    report = get_object_or_404(Report.objects.with_region().defer("original_text"), pk=pk)
    section = get_object_or_404(report.sections, path=path)
    return _cite_response(request, report, section, fmt)


def report_original(request, pk: int):
    """The original file as uploaded; the Chinese filename RFC 5987-encoded (FileResponse)."""
    report = get_object_or_404(Report.objects.defer("original_text"), pk=pk)
    if not report.original_file:
        raise Http404("该报告没有保存原始文件。")
    try:
        fh = report.original_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("原始文件不存在。")
    filename = report.original_filename or report.original_file.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return FileResponse(fh, as_attachment=True, filename=filename, content_type=content_type)


# -- bulk data ---------------------------------------------------------------


def data_download(request):
    """All reports as gzip'd JSON Lines, cached per archive state under ARCHIVE_DATA_DIR."""
    path = bulk.cached_dump(archive_stamp())
    name = f"fazhi-reports-{timezone.localdate():%Y%m%d}.jsonl.gz"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name, content_type="application/gzip")


# -- compliance and timeliness rates ------------------------------------------


def compliance_page(request):
    from research import instrument_rates as ir
    from research.compliance import PART_LABELS

    by = request.GET.get("by", "level")
    by = by if by in ir.BY_CHOICES else "level"
    rows, search = ir.scoped_rows(request.GET)
    group = request.GET.get("group", "")[:100]
    part = request.GET.get("part", "")
    part = part if part in PART_LABELS else ""
    missing = request.GET.get("missing") == "1"
    status = request.GET.get("status", "")
    status = status if status in ("on_time", "late", "unknown") else ""
    complete = request.GET.get("complete") == "1"
    filtered = bool(group or part or status or complete or search.get("q"))
    context = {
        "by": by,
        "by_choices": ir.BY_CHOICES,
        "part_labels": PART_LABELS,
        "rates": ir.rates(rows, by),
        "total": len(rows),
        "max_reports": ir.MAX_REPORTS,
        "group": group,
        "part": part,
        "part_label": PART_LABELS.get(part, ""),
        "missing": missing,
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
        "complete": complete,
        "search": search,
        "sq": ("&" + search["search_query"]) if search.get("search_query") else "",
        "drill": ir.drill_down(rows, by=by, group=group, part=part, missing=missing, status=status,
                               complete=complete)[:500] if filtered else None,
    }
    return render(request, "research/compliance.html", context)


def compliance_csv(request):
    import csv
    import io

    from research import instrument_rates as ir
    from research.export import _csv_cell

    buffer = io.StringIO()
    buffer.write(export.CSV_BOM)
    writer = csv.writer(buffer)
    writer.writerow(ir.CSV_FIELDS)
    rows, _search = ir.scoped_rows(request.GET)
    for row in rows:
        row = {**row, "url": request.build_absolute_uri(row["url"])}
        writer.writerow([_csv_cell(row[f]) for f in ir.CSV_FIELDS])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fazhi-compliance.csv"'
    return response


def timeliness_page(request):
    """The ledger: every rule-of-law report with its date, deadline and verdict, latest first
    by lateness; rates per group above it (same rows as the compliance page)."""
    from research import instrument_rates as ir

    by = request.GET.get("by", "year")
    by = by if by in ir.BY_CHOICES else "year"
    status = request.GET.get("status", "")
    rows, search = ir.scoped_rows(request.GET)
    ledger = [r for r in rows if not status or r["timeliness"] == status]
    ledger.sort(key=lambda r: (-r["days_late"], -(r["year"] or 0), r["report_id"]))
    context = {"by": by, "by_choices": ir.BY_CHOICES, "rates": ir.rates(rows, by), "status": status,
               "ledger": ledger[:1000], "total": len(ledger), "search": search,
               "sq": ("&" + search["search_query"]) if search.get("search_query") else ""}
    return render(request, "research/timeliness.html", context)
