"""Pages of a huge report: the reader shows a bounded slice of the sections.

A report of 20,000 sections (or a few million characters) rendered whole took over 30 s and
19 MB of HTML per view, for anyone.  The reader cuts the sections, in document order, into
pages of at most ``PAGE_SECTIONS`` sections and ``PAGE_CHARS`` characters (a page always
holds at least one section); a report that fits on one page reads exactly as before.  The
cut is computed from ``(order, length)`` rows only, never from the texts themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.functions import Length

from reports.models import Report

PAGE_SECTIONS = 300
PAGE_CHARS = 200_000


@dataclass(frozen=True)
class ReaderPage:
    number: int  # 1-based
    first_order: int
    last_order: int
    first_path: str
    last_path: str
    sections: int


@dataclass(frozen=True)
class ReaderPaging:
    pages: list[ReaderPage]
    current: ReaderPage | None  # None: the report has no sections

    @property
    def paged(self) -> bool:
        return len(self.pages) > 1

    @property
    def previous(self) -> ReaderPage | None:
        if self.current is None or self.current.number == 1:
            return None
        return self.pages[self.current.number - 2]

    @property
    def next(self) -> ReaderPage | None:
        if self.current is None or self.current.number >= len(self.pages):
            return None
        return self.pages[self.current.number]


def reader_pages(report: Report, *, max_sections: int = PAGE_SECTIONS, max_chars: int = PAGE_CHARS) -> list[ReaderPage]:
    rows = (
        report.sections.order_by("order")
        .annotate(size=Length("text") + Length("heading"))
        .values_list("order", "path", "size")
    )
    pages: list[ReaderPage] = []
    start = None  # (order, path) of the page being filled
    last = None
    count = chars = 0
    for order, path, size in rows.iterator(chunk_size=5000):
        size = size or 0
        if start is not None and (count >= max_sections or chars + size > max_chars):
            pages.append(ReaderPage(len(pages) + 1, start[0], last[0], start[1], last[1], count))
            start, count, chars = None, 0, 0
        if start is None:
            start = (order, path)
        last = (order, path)
        count += 1
        chars += size
    if start is not None:
        pages.append(ReaderPage(len(pages) + 1, start[0], last[0], start[1], last[1], count))
    return pages


def reader_paging(report: Report, *, page: str | None = None, at: str | None = None) -> ReaderPaging:
    """The pages and the one asked for: ``?page=N`` or the page holding section ``?at=<path>``;
    anything else (missing, not a number, out of range) is the nearest valid page."""
    pages = reader_pages(report)
    if not pages:
        return ReaderPaging(pages, None)
    current = pages[0]
    if at:
        order = report.sections.filter(path=str(at)[:50]).values_list("order", flat=True).first()
        if order is not None:
            current = next(p for p in pages if p.first_order <= order <= p.last_order)
    elif page:
        try:
            number = int(str(page).strip()[:6])
        except ValueError:
            number = 1
        current = pages[min(max(number, 1), len(pages)) - 1]
    return ReaderPaging(pages, current)


def page_sections(report: Report, paging: ReaderPaging) -> list:
    """The sections of the current page, in document order."""
    if paging.current is None:
        return []
    sections = report.sections.all()
    if paging.paged:
        sections = sections.filter(order__gte=paging.current.first_order, order__lte=paging.current.last_order)
    return list(sections)
