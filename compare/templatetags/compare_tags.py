"""Template helpers for the compare app: topic labels and the reader's selection bar."""

from __future__ import annotations

from django import template

from compare.topics import TOPIC_BY_KEY

register = template.Library()


@register.filter
def topic_label(key: str) -> str:
    topic = TOPIC_BY_KEY.get(key or "")
    return topic.label if topic else ""


def _next_path(context) -> str:
    """Where the forms send the reader back: this page, or (when the list was changed in place
    by static/js/site.js) the page the reader is on, which compare.views passes as ``compare_next``."""
    if context.get("compare_next"):
        return context["compare_next"]
    request = context.get("request")
    return request.get_full_path() if request is not None else ""


@register.inclusion_tag("compare/_selection_bar.html", takes_context=True)
def compare_selection_bar(context):
    """The list built with "加入对比" (signed cookie), shown on every page while it is not empty."""
    from compare import selection
    from reports.models import Report

    request = context.get("request")
    ids = selection.get_selection(selection.store(request))
    reports = []
    if ids:
        found = Report.objects.only("pk", "title", "year").in_bulk(ids)
        reports = [found[i] for i in ids if i in found]
    return {
        "request": request,
        "next": _next_path(context),
        "csrf_token": context.get("csrf_token"),
        "messages": context.get("messages"),
        "reports": reports,
        "reports_param": selection.reports_param([r.pk for r in reports]),
        "can_compare": len(reports) >= selection.MIN_REPORTS,
        "max_reports": selection.MAX_REPORTS,
    }


@register.inclusion_tag("compare/_add_button.html", takes_context=True)
def compare_button(context, report):
    """A POST form adding (or removing) one report to the comparison list; no JavaScript."""
    from compare import selection

    request = context.get("request")
    ids = selection.get_selection(selection.store(request))
    return {
        "report": report,
        "selected": report.pk in ids,
        "full": len(ids) >= selection.MAX_REPORTS,
        "next": _next_path(context),
        "csrf_token": context.get("csrf_token"),
    }
