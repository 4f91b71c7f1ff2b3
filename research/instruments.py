"""The Django side of the per-report instruments: compliance checklist and timeliness."""

from __future__ import annotations

from django.utils import timezone

from reports.models import Report, ReportKind
from research.compliance import Checklist, check
from research.timeliness import Timeliness, assess

# Only these kinds have the 1 April deadline; only the rule-of-law report has the five parts.
DEADLINE_KINDS = {ReportKind.RULE_OF_LAW, ReportKind.INFO_DISCLOSURE}


def report_checklist(report: Report) -> Checklist | None:
    if report.kind != ReportKind.RULE_OF_LAW:
        return None
    sections = list(report.sections.only("report_id", "path", "level", "heading", "text").order_by("order"))
    full_text = "" if sections else report.original_text
    return check(sections, full_text=full_text, year=report.year)


def report_timeliness(report: Report) -> Timeliness | None:
    if report.kind not in DEADLINE_KINDS:
        return None
    first_seen = timezone.localtime(report.created_at).date() if report.created_at else None
    return assess(year=report.year, published=report.published, first_seen=first_seen)


def report_instruments(report: Report) -> dict:
    checklist = report_checklist(report)
    timeliness = report_timeliness(report)
    return {
        "report_id": report.pk,
        "compliance": checklist.as_dict() if checklist else None,
        "timeliness": timeliness.as_dict() if timeliness else None,
    }
