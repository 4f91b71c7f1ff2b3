"""An editor in real headless Chromium: admin login form → upload a GB18030 file → preview
(title, encoding, section tree) → correct the year → confirm → find the report by searching.

The file is seed 004 (港口镇2021年法治政府建设年度报告; hand-checked in
tests/reports/seed_expectations.py: 10 level-1 and 38 level-2 sections) re-encoded as GB18030.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.reports.conftest import SEED_FILES
from tests.reports.seed_expectations import SEEDS as EXPECTED

pytestmark = pytest.mark.browser



def at(path: str, **query: str):
    """A wait_for_url predicate: this path, and these query parameters if given."""

    def check(url: str) -> bool:
        parts = urlsplit(url)
        params = parse_qs(parts.query)
        return parts.path == path and all(params.get(k) == [v] for k, v in query.items())

    return check


SEED = next(p for p in SEED_FILES if p.name.startswith("004"))
USERNAME, PASSWORD = "editor", "pw-upload-123456"


@pytest.fixture
def staff(transactional_db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(USERNAME, password=PASSWORD, is_staff=True, is_superuser=True)


@pytest.fixture
def gb18030_file(tmp_path):
    path = tmp_path / "港口镇报告-gb18030.txt"
    data = SEED.read_text(encoding="utf-8").encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really not UTF-8: the importer has to detect the encoding
    path.write_bytes(data)
    return path


def test_login_upload_gb18030_correct_year_and_find_it(page, staff, gb18030_file, isolated_search_index):
    from reports.models import Report

    expected = EXPECTED[SEED.name]
    title = expected["title"]
    assert Report.objects.count() == 0

    # Log in through the real admin login form, sent on to the upload page.
    page.goto("/admin/reports/report/upload/")
    page.wait_for_url(at("/admin/login/", next="/admin/reports/report/upload/"))
    page.locator("input[name=username]").fill(USERNAME)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url(at("/admin/reports/report/upload/"))
    assert "上传报告" in page.title()
    assert page.get_by_role("heading", name="上传报告").first.is_visible()

    # Choose the file and upload it: nothing is saved yet, the preview shows what was read.
    page.locator("#upload-form input[type=file][name=files]").set_input_files(str(gb18030_file))
    page.locator("#upload-form input[type=submit][name=upload]").click()
    page.wait_for_url("**/admin/reports/report/upload/*/")
    item = page.locator(f'fieldset.preview-item[data-filename="{gb18030_file.name}"]')
    assert item.is_visible()
    assert "（gb18030）" in item.inner_text()
    assert item.locator("input[name=f0-title]").input_value() == title
    assert item.locator("input[name=f0-year]").input_value() == "2021"
    tree = item.locator("ul.draft-tree").first
    level1 = tree.locator(":scope > li")
    assert level1.count() == expected["levels"][1]
    assert tree.locator(":scope > li > ul.draft-tree > li").count() == expected["levels"][2]
    assert "依法全面履行政府职能" in level1.nth(2).inner_text()
    assert Report.objects.count() == 0

    # Correct the year (the report says 2021; say the editor knows better) and confirm.
    item.locator("input[name=f0-year]").fill("2020")
    page.locator("#preview-form input[type=submit][name=confirm]").click()
    page.wait_for_url("**/admin/reports/report/*/change/")
    report = Report.objects.get()
    assert page.url.endswith(f"/admin/reports/report/{report.pk}/change/")
    assert title in page.locator("ul.messagelist").inner_text()
    assert report.title == title and report.year == 2020
    assert report.original_encoding == "gb18030"
    assert "year" in report.locked_fields

    # A reader finds it by a word from its text, with the corrected year.
    page.goto("/search/")
    page.locator("form.search-form input[name=q]").fill("港口镇")
    page.locator("form.search-form button[type=submit]").click()
    page.wait_for_url(at("/search/", q="港口镇"))
    assert page.locator("#result-count").inner_text() == "1"
    result = page.locator(f'article.result[data-report="{report.pk}"]')
    assert title in result.locator("h2").inner_text()
    meta = result.locator("p.meta").inner_text()
    assert "2020" in meta and "2021" not in meta
    assert result.locator(".snippet mark").first.inner_text() == "港口镇"
    # The year facet agrees.
    assert page.locator("aside.facets ul.facet-year a").all_inner_texts() == ["2020"]
