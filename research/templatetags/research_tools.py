"""Research panels included on the report and section pages (their views stay untouched).

{% load research_tools %}
{% citation_panel report %}            report page: citation, BibTeX/RIS, provenance
{% citation_panel report section %}    section page
{% similar_sections_panel section %}   section page: 相似段落
"""

from __future__ import annotations

from django import template
from django.core.cache import cache
from django.urls import reverse

from research.citations import gbt7714
from research.sources import citation_source
from research.stamp import stamp_key

register = template.Library()


@register.inclusion_tag("research/_citation.html", takes_context=True)
def citation_panel(context, report, section=None):
    request = context.get("request")
    absolute = request.build_absolute_uri if request is not None else (lambda path: path)
    if section is not None:
        bib = reverse("research:section-cite", args=[report.pk, section.path, "bib"])
        ris = reverse("research:section-cite", args=[report.pk, section.path, "ris"])
    else:
        bib = reverse("research:report-cite", args=[report.pk, "bib"])
        ris = reverse("research:report-cite", args=[report.pk, "ris"])
    return {
        "report": report,
        "section": section,
        "gbt": gbt7714(citation_source(report, absolute, section)),
        "bib_url": bib,
        "ris_url": ris,
        "original_url": reverse("research:original", args=[report.pk]) if report.original_file else "",
    }


@register.inclusion_tag("research/_similar.html")
def similar_sections_panel(section, limit=8):
    from search.similar import similar_sections

    key = stamp_key("similar", section.pk, limit)
    items = cache.get(key)
    if items is None:
        items = similar_sections(section, limit=limit)
        cache.set(key, items, 600)
    return {"similar": items, "section": section}


@register.inclusion_tag("research/_feed_links.html", takes_context=True)
def feed_links(context, search=False):
    """<link rel="alternate"> for the new-reports feed (and the current search's feed)."""
    request = context.get("request")
    query = ""
    if search and request is not None:
        keep = {
            k: v
            for k, v in request.GET.items()
            if k in ("q", "region", "year", "year_from", "year_to", "kind") and v
        }
        from urllib.parse import urlencode

        query = urlencode(keep)
    return {"search": search, "query": query}


@register.inclusion_tag("research/_search_tools.html", takes_context=True)
def search_tools(context):
    """Export links (CSV / JSONL), the saved-search feed and a trend link for the search page."""
    from research.export import MAX_ROWS

    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is not None:
        query.pop("page", None)
    q = request.GET.get("q", "").strip() if request is not None else ""
    return {"query": query.urlencode() if query is not None else "", "q": q, "max_rows": MAX_ROWS}


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.simple_tag
def trend_cell(trend, group, year):
    from research.trends import Cell

    return trend.cells.get(group, {}).get(year) or Cell()


@register.simple_tag
def trend_total(trend, year):
    from research.trends import Cell

    return trend.year_totals.get(year) or Cell()


@register.inclusion_tag("research/_compliance.html")
def instruments_panel(report):
    """Report page: the five-part compliance checklist and timeliness (research/instruments.py)."""
    from research.instruments import report_checklist, report_timeliness

    return {"report": report, "checklist": report_checklist(report), "timeliness": report_timeliness(report)}


@register.inclusion_tag("research/_citation_top.html", takes_context=True)
def citation_top(context, report):
    """Report page, near the top: the GB/T 7714 reference as selectable text with a copy button,
    and each section's reference (static/js/cite-copy.js puts a copy button in every section
    heading; without JavaScript the section pages carry the same text)."""
    request = context.get("request")
    absolute = request.build_absolute_uri if request is not None else (lambda path: path)
    # The sections on the reader's page (a huge report is read a page at a time); never all.
    sections = context.get("page_sections")
    if sections is None:
        sections = report.sections.only("report_id", "path", "number", "heading").order_by("order")[:300]
    return {
        "report": report,
        "gbt": gbt7714(citation_source(report, absolute)),
        "section_citations": {s.path: gbt7714(citation_source(report, absolute, s)) for s in sections},
    }


@register.inclusion_tag("research/_compliance_row.html")
def compliance_row(columns):
    """Compare page: the five parts and timeliness, one column per compared report."""
    from research.instruments import report_checklist, report_timeliness

    cells = [(c.report, report_checklist(c.report), report_timeliness(c.report)) for c in columns]
    return {"cells": cells}
