"""A reader in headless Chromium builds a comparison from search results, without JavaScript
on our side: two "加入对比" POST forms, the selection bar, then the side-by-side page."""

from __future__ import annotations

import pytest

from tests.reports.conftest import SEED_FILES

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed_seeds(transactional_db, isolated_search_index):
    """The seeds imported through the real service; the index (a fresh temporary one) follows
    each commit, as in production."""
    from compare.services import indicators_refresh
    from reports.services import report_draft, report_import
    from search.backends import reset_searchers

    reset_searchers()
    reports = {}
    for path in SEED_FILES:
        data = path.read_bytes()
        report = report_import(draft=report_draft(data=data, filename=path.name), data=data)
        indicators_refresh(report=report)  # idempotent: also right once the import calls it
        reports[path.name[:3]] = report
    yield reports
    reset_searchers()


def test_add_two_reports_from_search_and_compare(page, live_server, indexed_seeds):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    first, second = indexed_seeds["000"], indexed_seeds["002"]

    page.goto("/search/?q=行政诉讼")
    assert page.locator(f'article.result[data-report="{first.pk}"]').is_visible()
    page.locator(f'article.result[data-report="{first.pk}"] .compare-add button').click()
    page.wait_for_selector("#compare-bar")
    assert "/search/" in page.url  # back where the reader was
    page.locator(f'article.result[data-report="{second.pk}"] .compare-add button').click()
    page.wait_for_selector("#compare-go")
    bar = page.locator("#compare-bar")
    assert "2/6" in bar.inner_text()

    page.locator("#compare-go").click()
    page.wait_for_url(f"**/compare/?reports={first.pk},{second.pk}")
    columns = page.locator("table.compare-grid thead th.report-col")
    assert columns.count() == 2
    assert first.title in columns.nth(0).inner_text()
    assert second.title in columns.nth(1).inner_text()
    figures = page.locator("table.figures")
    assert figures.is_visible()
    row = figures.locator('tr[data-key="admin_litigation_cases"]')
    assert "27件" in row.inner_text() and "67件" in row.inner_text()
    # A figure leads to the section it was read from.
    row.get_by_role("link", name="27件").click()
    page.wait_for_url("**/s/**")
    assert "27件" in page.locator(".section-text").first.inner_text()
    assert not [e for e in errors if "Content Security Policy" in e], errors
