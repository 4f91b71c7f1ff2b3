"""Search page and search API: parse the query string, one call to search.service, render."""

from __future__ import annotations

from django.shortcuts import render
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from reports.models import BodyKind, ReportKind
from reports.serializers import jurisdiction_of
from search import service


def search_page(request):
    params, param_warnings = service.params_from_querydict(request.GET)
    page = service.search(params)
    query = request.GET.copy()
    query.pop("page", None)
    facet_query = request.GET.copy()
    for key in ("page", "year", "region"):
        facet_query.pop(key, None)
    context = {
        "params": params,
        "page": page,
        "warnings": [*param_warnings, *page.warnings],
        "query": query.urlencode(),
        "facet_query": facet_query.urlencode(),
        "kinds": ReportKind.choices,
        "body_kinds": BodyKind.choices,
        "highlight_terms": " ".join(page.terms),
        "quick_q": params.q,
    }
    return render(request, "search/search.html", context)


@api_view(["GET"])
@permission_classes([AllowAny])
def search_api(request):
    params, param_warnings = service.params_from_querydict(request.GET)
    page = service.search(params)
    return Response(
        {
            "query": page.query,
            "count": page.count,
            "page": page.page,
            "num_pages": page.num_pages,
            "warnings": [*param_warnings, *page.warnings],
            "error": page.error,
            "results": [
                {
                    "report": {
                        "id": hit.report.pk,
                        "title": hit.report.title,
                        "year": hit.report.year,
                        "kind": hit.report.kind,
                        "body_kind": hit.report.body_kind,
                        "reporting_body": hit.report.reporting_body,
                        "script": hit.report.script,
                        "url": hit.report.get_absolute_url(),
                        "jurisdiction": jurisdiction_of(hit.report.region),
                    },
                    "score": hit.score,
                    "sections": [
                        {"id": s.id, "path": s.path, "heading": s.heading, "snippet": s.snippet_html, "url": s.url}
                        for s in hit.sections
                    ],
                }
                for hit in page.results
            ],
            "facets": {name: {str(k): v for k, v in counts.items()} for name, counts in page.facets.items()},
        }
    )
