"""From reports and sections to ``research.citations.CitationSource`` (the Django side)."""

from __future__ import annotations

from django.utils import timezone

from reports.models import Report, Section
from research.citations import CitationSource

_CJK_NUMERALS = set("〇零一二三四五六七八九十百")


def section_number(number: str) -> str:
    """The number as printed: 一 -> 一、, 1 -> 1., (一)/（1）/① unchanged."""
    number = (number or "").strip()
    if number and set(number) <= _CJK_NUMERALS:
        return number + "、"
    if number.isdigit():
        return number + "."
    return number


def section_title(section: Section) -> str:
    heading = section.heading.strip()
    number = section_number(section.number)
    if number and heading:
        return f"{number}{heading}"
    return heading or number or f"第 {section.path} 节"


def citation_source(report: Report, absolute, section: Section | None = None) -> CitationSource:
    """``absolute`` turns a path into an absolute URL (``request.build_absolute_uri``)."""
    chain = report.region.ancestors() if report.region_id else []
    target = section if section is not None else report
    return CitationSource(
        title=report.title,
        url=absolute(target.get_absolute_url()),
        accessed=timezone.localdate(),
        published=report.published,
        year=report.year,
        region_names=[r.name for r in chain],
        region_levels=[r.level for r in chain],
        report_id=report.pk,
        section_title=section_title(section) if section is not None else "",
        section_path=section.path if section is not None else "",
        source_url=report.source_url,
        responsible=report.reporting_body or report.publisher,
        publisher=report.publisher,
    )
