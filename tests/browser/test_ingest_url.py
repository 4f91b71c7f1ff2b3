"""An editor in real headless Chromium pastes a web address (a loopback government site),
waits on the self-refreshing preview, saves, finds the report by search and opens its
provenance (the captures and their WARC record)."""

from __future__ import annotations

import gzip

import pytest

from tests.reports.conftest import SEED_FILES
from tests.reports.seed_expectations import SEEDS as EXPECTED
from tests.reports.site_server import build_site, report_page, seed_text

pytestmark = pytest.mark.browser
USERNAME, PASSWORD = "editor", "pw-url-123456"


@pytest.fixture
def staff(transactional_db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(USERNAME, password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def site(monkeypatch):
    server = build_site()
    server.add("/art/4.html", report_page(*seed_text(4), published="2022-03-31"))
    monkeypatch.setenv("ARCHIVE_FETCH_ALLOWED_HOSTS", "127.0.0.1")
    yield server
    server.stop()


def test_paste_url_preview_save_search_and_open_provenance(page, staff, site, isolated_search_index):
    from reports.models import Report

    title = EXPECTED[SEED_FILES[4].name]["title"]  # the seed's first lines are page chrome
    url = site.base + "/art/4.html"
    page.goto("/admin/login/?next=/admin/reports/report/upload/")
    page.locator("input[name=username]").fill(USERNAME)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/reports/report/upload/")

    page.locator("#upload-form textarea[name=urls]").fill(url)
    page.locator("#upload-form input[type=submit][name=upload]").click()
    page.wait_for_url("**/admin/reports/report/upload/*/")
    # The page reloads itself until the background fetch is done, then offers to save.
    confirm = page.locator("#preview-form input[type=submit][name=confirm]")
    confirm.wait_for(state="visible", timeout=60_000)
    item = page.locator("fieldset.preview-item")
    assert url in item.locator("p.fetched-from").inner_text()
    assert item.locator("input[name=f0-title]").input_value() == title
    assert item.locator("input[name=f0-source_url]").input_value() in ("", url)
    assert Report.objects.count() == 0
    confirm.click()
    page.wait_for_url("**/admin/reports/report/*/change/")
    report = Report.objects.get()
    assert report.source_url == url and report.fetched_at is not None

    # Its provenance on the change page: the capture, and its WARC record as a download.
    captures = page.locator("ul.captures li")
    assert captures.count() == 1 and url in captures.first.inner_text() and "HTTP 200" in captures.first.inner_text()
    with page.expect_download() as download_info:
        captures.first.get_by_role("link", name="WARC").click()
    warc = gzip.decompress(open(download_info.value.path(), "rb").read())
    assert warc.startswith(b"WARC/1.") and f"WARC-Target-URI: {url}".encode() in warc

    # A reader finds it by a word of its text.
    page.goto("/search/")
    page.locator("form.search-form input[name=q]").fill("港口镇")
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url("**/search/?*")
    assert page.locator("#result-count").inner_text() == "1"
    assert title in page.locator(f'article.result[data-report="{report.pk}"] h2').inner_text()
