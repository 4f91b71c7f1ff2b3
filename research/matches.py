"""Every match of a search, not one page of it: the adapter research tools share.

``search.service.search`` returns one page (at most ``MAX_PER_PAGE`` reports).  Exports,
trends and the saved-search feed need ALL matching reports, so ``iter_matches`` walks the
pages through that same public function (same parsing, filters and section selection as
the search page; the index decides, script-blind).

When search/service.py grows an iterator over all matching report ids and sections (asked
for in the research hand-over), only this module changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from search import service

PAGE_SIZE = service.MAX_PER_PAGE
# "All of a report's matching sections": matching_sections() takes the best N per report.
ALL_SECTIONS = 10_000


def has_query(params: service.SearchParams) -> bool:
    """A query with at least one searchable word (an empty or operator-only query has none)."""
    from search.querysyntax import parse_query

    return isinstance(params.q, str) and not parse_query(params.q).empty


def iter_matches(
    params: service.SearchParams,
    *,
    sections: bool = True,
    snippets: bool = True,
    max_reports: int | None = None,
) -> Iterator[service.ReportHit]:
    """Each matching report (with all its matching sections when ``sections``), best first.

    ``snippets=False``: the sections are bare ids, for counting (no section text is read).

    Stops quietly on a search error (the page's ``error``): callers produce what they have.
    """
    base = dataclasses.replace(
        params,
        per_page=PAGE_SIZE,
        sections_per_report=ALL_SECTIONS if sections else 0,
        snippets=snippets,
    )
    number, seen = 1, 0
    while True:
        page = service.search(dataclasses.replace(base, page=number))
        if page.error:
            return
        for hit in page.results:
            yield hit
            seen += 1
            if max_reports is not None and seen >= max_reports:
                return
        # The service clamps an out-of-range page to the last one: stop at the last page.
        if page.page < number or page.page >= page.num_pages or not page.results:
            return
        number += 1


def count_and_facets(params: service.SearchParams) -> service.SearchPage:
    """Count and facets (year, province, level) of every match, without fetching sections."""
    return service.search(dataclasses.replace(params, page=1, per_page=1, sections_per_report=0))
