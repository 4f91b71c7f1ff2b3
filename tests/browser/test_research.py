"""Research tools in real headless Chromium: search → trend chart → CSV download."""

from __future__ import annotations

import csv
import io

import pytest

from tests.reports.conftest import SEED_FILES

pytestmark = pytest.mark.browser


@pytest.fixture
def indexed(transactional_db, isolated_search_index):
    from reports.services import report_draft, report_import
    from search.backends import reset_searchers

    reset_searchers()
    for path in SEED_FILES:
        data = path.read_bytes()
        report_import(draft=report_draft(data=data, filename=path.name), data=data)
    yield
    reset_searchers()


def test_search_trends_and_csv_download(page, live_server, indexed):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + "/search/?q=行政复议")
    assert page.locator("#result-count").inner_text() == "4"

    # The trend chart for the same term: an inline SVG whose bars link to searches.
    page.locator("a.trend-link").click()
    page.wait_for_url("**/trends/?terms=*")
    chart = page.locator("svg.trend-chart").first
    assert chart.is_visible()
    # A share, not a count: one bar per year holding reports (2022 holds none), its tooltip
    # the counts behind it; 2019 holds two reports, one mentions the term.
    assert chart.locator("rect.bar").count() == 4
    assert "1 / 2 份报告（50%）" in chart.locator("rect.bar").first.locator("title").text_content()
    assert page.locator("table.trend-table tbody td.total a").count() == 4
    row_2019 = page.locator("table.trend-table tbody tr", has=page.locator("th", has_text="2019"))
    assert row_2019.locator("td.total").inner_text().startswith("50%")
    chart.locator("a").first.click()
    page.wait_for_url("**/search/?q=*&year=*")
    assert page.locator("#result-count").inner_text() == "1"

    # Back to the search, download its CSV.
    page.goto(live_server.url + "/search/?q=行政复议")
    with page.expect_download() as info:
        page.locator("a.export-csv").click()
    download = info.value
    assert download.suggested_filename.startswith("fazhi-search-") and download.suggested_filename.endswith(
        ".csv"
    )
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # Chinese headers, as the figures CSV has.
    assert list(rows[0])[:3] == ["报告编号", "报告标题", "地区"]
    assert len(rows) == 10 and rows[0]["章节链接"].startswith(live_server.url + "/reports/")
    # Nothing the CSP blocked (inline script/style) or failed to load.
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
