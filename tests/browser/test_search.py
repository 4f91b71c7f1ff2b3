"""A researcher searches in real headless Chromium: query → marked snippets → facet → section.

Hand counts (grep of fixtures/seeds, both scripts; see also tests/research/test_trends.py):
  行政复议 is in four seeds: 000 石嘴山市 2020 (宁夏), 001 苏州工业园区 2019 (江苏, traditional:
  行政複議), 002 杏花岭区 2023 (山西), 004 港口镇 2021 (广东); 003 平顶山 2019 (河南) has none.
  出庭应诉 is in all five (001 as 出庭應訴); two of them are about 2019 (001 and 003).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from search.analysis import fold
from tests.conftest import import_seed_reports

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed_seeds(transactional_db, isolated_search_index):
    """The seeds imported through the real service; the index (a fresh temporary one) follows
    each commit, as in production, and the live server's threads search it."""
    return import_seed_reports()


def at(path: str, **query: str):
    """A wait_for_url predicate: this path, and these query parameters if given."""

    def check(url: str) -> bool:
        parts = urlsplit(url)
        params = parse_qs(parts.query)
        return parts.path == path and all(params.get(k) == [v] for k, v in query.items())

    return check


def search_for(page, term: str) -> None:
    """Type the term into the search box on /search/ and submit the form, as a reader does."""
    page.goto("/search/")
    page.locator("form.search-form input[name=q]").fill(term)
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url(at("/search/", q=term))


def result_ids(page) -> list[int]:
    return [int(x) for x in page.locator("article.result").evaluate_all("els => els.map(e => e.dataset.report)")]


def test_search_facet_and_section_with_highlight(page, indexed_seeds):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    search_for(page, "行政复议")
    assert page.locator("#result-count").inner_text() == "4"
    expected = {indexed_seeds[k].pk for k in ("000", "001", "002", "004")}
    assert set(result_ids(page)) == expected
    # The query stays in the box; every result shows snippets with the term marked.
    assert page.locator("form.search-form input[name=q]").input_value() == "行政复议"
    for article in page.locator("article.result").all():
        marks = article.locator(".snippet mark").all_inner_texts()
        assert marks, article.inner_text()
        assert all(fold(m) == "行政复议" for m in marks), marks

    # Narrow by the year facet in the sidebar: only 杏花岭区's 2023 report mentions it that year.
    facet = page.locator("aside.facets ul.facet-year a", has_text="2023")
    assert facet.locator("xpath=..").locator(".count").inner_text() == "1"
    facet.click()
    page.wait_for_url(at("/search/", q="行政复议", year="2023"))
    assert page.locator("#result-count").inner_text() == "1"
    report = indexed_seeds["002"]
    assert result_ids(page) == [report.pk]
    result = page.locator(f'article.result[data-report="{report.pk}"]')
    assert report.title in result.locator("h2").inner_text()

    # Open the first matching section: the section page, with the term marked in its text.
    link = result.locator("a.section-link").first
    href = urlsplit(link.get_attribute("href"))
    assert parse_qs(href.query) == {"hl": ["行政复议"]}
    section = next(s for s in report.sections.all() if s.get_absolute_url() == href.path)
    assert section.path in link.inner_text()
    link.click()
    page.wait_for_url(at(href.path, hl="行政复议"))
    assert section.heading in page.locator(".section-heading").first.inner_text()
    marks = page.locator(".section-text mark").all_inner_texts()
    assert marks and set(marks) == {"行政复议"}
    assert "行政复议" in section.heading + section.text
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_traditional_report_found_by_simplified_query(page, indexed_seeds):
    traditional = indexed_seeds["001"]
    assert traditional.script == "traditional"

    search_for(page, "出庭应诉")
    assert page.locator("#result-count").inner_text() == "5"

    # Year facet 2019: 苏州工业园区 (traditional) and 平顶山 (simplified).
    page.locator("aside.facets ul.facet-year a", has_text="2019").click()
    page.wait_for_url(at("/search/", q="出庭应诉", year="2019"))
    assert page.locator("#result-count").inner_text() == "2"
    assert set(result_ids(page)) == {traditional.pk, indexed_seeds["003"].pk}

    # Then the province facet (the year is kept): only the traditional report is left.
    page.locator("aside.facets ul.facet-province a", has_text="江苏省").click()
    page.wait_for_url(at("/search/", q="出庭应诉", year="2019", region="江苏省"))
    assert page.locator("#result-count").inner_text() == "1"
    result = page.locator(f'article.result[data-report="{traditional.pk}"]')
    assert traditional.title in result.locator("h2").inner_text()  # shown in its own script
    assert "蘇州工業園區" in traditional.title
    marks = result.locator(".snippet mark").all_inner_texts()
    assert marks and set(marks) == {"出庭應訴"}  # marked in the original script

    result.locator("a.section-link").first.click()
    page.wait_for_url("**/s/**")
    marks = page.locator(".section-text mark").all_inner_texts()
    assert marks and set(marks) == {"出庭應訴"}
